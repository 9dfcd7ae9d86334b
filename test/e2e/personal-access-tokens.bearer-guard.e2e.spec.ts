import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { PersonalAccessTokenStore } from '../../lib/storage/personal-access-token.store';
import { sha256Hex } from '../../lib/tokens/hashing';
import { generateToken } from '../../lib/tokens/random-token';
import { parseChallenge } from './support/bearer';
import { callMe, deviceLogin, signedInBrowser } from './support/device-flow';
import { callFrom, createToken, DAY, expectInvalidToken, iso, listTokens, LISTINGS, ME, storedRow } from './support/personal-access-tokens';
import { ISSUER, useTestApp } from './support/test-app';

describe('personal access tokens at the bearer guard', () => {
  const testApp = useTestApp();
  let alice: TestAgent;
  beforeAll(async () => {
    alice = await signedInBrowser(testApp, 'alice');
  });
  afterEach(() => jest.restoreAllMocks());

  it('accepts a PAT beside a JWT: the principal says tokenKind "pat" for one and "jwt" for the other', async () => {
    const pat = await createToken(alice);
    const jwt = (await deviceLogin(testApp, 'alice', 'sample-cli', 'user:read')).access_token;
    expect((await callMe(testApp, pat.token).expect(200)).body).toMatchObject({ username: 'alice', tokenKind: 'pat', clientId: null });
    expect((await callMe(testApp, jwt).expect(200)).body).toMatchObject({ username: 'alice', tokenKind: 'jwt', clientId: 'sample-cli' });
  });

  it('accepts the scheme in any case', async () => {
    const pat = await createToken(alice);
    await request(testApp.http).get(ME).set('Authorization', `bEaReR ${pat.token}`).expect(200);
  });

  it('checks scopes as for a JWT: 403 insufficient_scope naming the missing one', async () => {
    const pat = await createToken(alice, { scopes: ['user:read'] });
    const response = await callMe(testApp, pat.token, LISTINGS).expect(403);
    expect(parseChallenge(response.headers['www-authenticate']).params).toMatchObject({
      realm: ISSUER,
      error: 'insufficient_scope',
      scope: 'listings:read',
    });
    const write = await request(testApp.http)
      .post(LISTINGS)
      .set('Authorization', `Bearer ${pat.token}`)
      .send({ title: 'No', priceCents: 1 })
      .expect(403);
    expect(parseChallenge(write.headers['www-authenticate']).params.scope).toBe('listings:write');
  });

  it('lets a PAT act within its scopes, as its owner', async () => {
    const pat = await createToken(alice, { scopes: ['listings:read', 'listings:write'] });
    const created = await request(testApp.http)
      .post(LISTINGS)
      .set('Authorization', `Bearer ${pat.token}`)
      .send({ title: 'Flat by a PAT', priceCents: 4_200 })
      .expect(201);
    expect(created.body.ownerUserId).toBe(await testApp.userId('alice'));
    expect((await callMe(testApp, pat.token, LISTINGS).expect(200)).body).toEqual([expect.objectContaining({ id: created.body.id })]);
    // Listings are its scopes, not user:read.
    await callMe(testApp, pat.token, ME).expect(403);
  });

  it('says when the token lapses in a Token-Expiration header on PAT calls (on a 403 too), and never on JWT calls', async () => {
    const pat = await createToken(alice, { expiresInDays: 30 });
    const me = await callMe(testApp, pat.token).expect(200);
    expect(me.headers['token-expiration']).toBe(pat.expiresAt);
    expect(me.headers['token-expiration']).toBe(iso(Date.parse(pat.createdAt) + 30 * DAY * 1000));
    expect((await callMe(testApp, pat.token, LISTINGS).expect(403)).headers['token-expiration']).toBe(pat.expiresAt);

    const jwt = (await deviceLogin(testApp, 'alice', 'sample-cli', 'user:read')).access_token;
    expect((await callMe(testApp, jwt).expect(200)).headers['token-expiration']).toBeUndefined();
  });

  it('accepts a PAT until it expires (90 days by default), then answers 401 invalid_token', async () => {
    const pat = await createToken(alice);
    await callMe(testApp, pat.token).expect(200);
    testApp.clock.advance(90 * DAY - 1);
    await callMe(testApp, pat.token).expect(200);
    testApp.clock.advance(1);
    expectInvalidToken(await callMe(testApp, pat.token), /expired/);
    expect((await listTokens(alice)).find((view) => view.id === pat.id)?.status).toBe('expired');
  });

  it('refuses a token whose checksum fails with 401 invalid_token, without touching the database', async () => {
    const pat = await createToken(alice);
    const lookups = jest.spyOn(testApp.app.get(PersonalAccessTokenStore), 'findByHash');

    // The control: a well-formed token that was never issued is looked up, once, and refused.
    expectInvalidToken(await callMe(testApp, generateToken('bpat_')), /Unknown/);
    expect(lookups).toHaveBeenCalledTimes(1);
    lookups.mockClear();

    const swap = (value: string, at: number) => value.slice(0, at) + (value[at] === 'A' ? 'B' : 'A') + value.slice(at + 1);
    const broken = [
      swap(pat.token, 10), // one random character changed
      swap(pat.token, pat.token.length - 1), // one checksum character changed
      pat.token.slice(0, -1), // one character short
      pat.token + 'A', // one character long
      pat.token.slice(0, 10) + '-' + pat.token.slice(11), // not base62
      `bpat_${'A'.repeat(36)}`,
    ];
    for (const token of broken) expectInvalidToken(await callMe(testApp, token), /malformed/);
    expect(lookups).not.toHaveBeenCalled();
    // And the real one still works.
    await callMe(testApp, pat.token).expect(200);
  });

  it('serves a hot loop of 50 calls with one database read and one last-used write', async () => {
    const pat = await createToken(alice);
    const store = testApp.app.get(PersonalAccessTokenStore);
    const lookups = jest.spyOn(store, 'findByHash');
    const stamps = jest.spyOn(store, 'touch');
    for (let i = 0; i < 50; i++) await callMe(testApp, pat.token).expect(200);
    expect(lookups).toHaveBeenCalledTimes(1);
    expect(stamps).toHaveBeenCalledTimes(1);
    // A burst of concurrent calls on the warm cache costs nothing either.
    const burst = await Promise.all(Array.from({ length: 20 }, () => callMe(testApp, pat.token)));
    expect(burst.map((response) => response.status)).toEqual(Array(20).fill(200));
    expect(lookups).toHaveBeenCalledTimes(1);
    expect(stamps).toHaveBeenCalledTimes(1);
    // Once the cache has gone stale (cacheSeconds, 5 s) the token is read again.
    testApp.clock.advance(5);
    await callMe(testApp, pat.token).expect(200);
    expect(lookups).toHaveBeenCalledTimes(2);
  });

  it('honours a revocation made by another instance within cacheSeconds (5 s)', async () => {
    const pat = await createToken(alice);
    await callMe(testApp, pat.token).expect(200); // cached from now on
    // Another instance revokes it: only the database knows.
    await testApp.app
      .get(DataSource)
      .query(`UPDATE device_auth_personal_access_tokens SET revoked_at = ${testApp.clock.now()} WHERE id = '${pat.id}'`);
    await callMe(testApp, pat.token).expect(200);
    testApp.clock.advance(4);
    await callMe(testApp, pat.token).expect(200);
    testApp.clock.advance(1);
    expectInvalidToken(await callMe(testApp, pat.token), /revoked/);
  });

  it('stamps last use at most once a minute per token, with the caller’s address', async () => {
    const pat = await createToken(alice);
    expect(await storedRow(testApp, pat.id)).toMatchObject({ last_used_at: null, last_used_ip: null });

    const firstUse = testApp.clock.now();
    await callFrom(testApp, '127.0.0.1', pat.token).expect(200);
    const first = await storedRow(testApp, pat.id);
    expect(first.last_used_at).toBe(firstUse);
    expect(first.last_used_ip).toMatch(/(^|:)127\.0\.0\.1$/);

    // Within the minute, from another address: nothing is written.
    testApp.clock.advance(30);
    await callFrom(testApp, '127.0.0.2', pat.token).expect(200);
    testApp.clock.advance(29);
    await callFrom(testApp, '127.0.0.2', pat.token).expect(200);
    expect(await storedRow(testApp, pat.id)).toMatchObject({ last_used_at: firstUse, last_used_ip: first.last_used_ip });

    // A minute after the stamp, the next call writes a new one.
    testApp.clock.advance(1);
    await callFrom(testApp, '127.0.0.2', pat.token).expect(200);
    const second = await storedRow(testApp, pat.id);
    expect(second.last_used_at).toBe(firstUse + 60_000);
    expect(second.last_used_ip).toMatch(/(^|:)127\.0\.0\.2$/);

    const listed = (await listTokens(alice)).find((view) => view.id === pat.id);
    expect(listed).toMatchObject({ lastUsedAt: iso(firstUse + 60_000), lastUsedIp: second.last_used_ip });
  });

  it('keeps the once-a-minute stamp across instances: the database refuses a second stamp within the minute', async () => {
    const pat = await createToken(alice);
    const store = testApp.app.get(PersonalAccessTokenStore);
    const now = testApp.clock.now();
    await store.touch(pat.id, now, '10.0.0.1');
    await store.touch(pat.id, now + 59_000, '10.0.0.2'); // another instance, which never saw the first stamp
    expect(await storedRow(testApp, pat.id)).toMatchObject({ last_used_at: now, last_used_ip: '10.0.0.1' });
    await store.touch(pat.id, now + 60_000, '10.0.0.3');
    expect(await storedRow(testApp, pat.id)).toMatchObject({ last_used_at: now + 60_000, last_used_ip: '10.0.0.3' });
  });

  it('stores only a SHA-256 digest and the display hint, never the token', async () => {
    const pat = await createToken(alice, { name: 'at rest' });
    const rows = await testApp.app.get(DataSource).query('SELECT * FROM device_auth_personal_access_tokens');
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(pat.token);
    expect(dump).not.toContain(pat.token.slice(5, 35)); // nor its random part
    const row = await storedRow(testApp, pat.id);
    expect(row.token_hash).toBe(sha256Hex(pat.token));
    expect(row.display_hint).toBe(`bpat_…${pat.token.slice(-4)}`);
  });
});

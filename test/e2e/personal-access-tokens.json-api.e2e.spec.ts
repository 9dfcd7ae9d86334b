import { httpPlatformFromEnv } from '../../sample-app/create-app';
import request from 'supertest';
import { PersonalAccessTokenView } from '../../lib';
import { sha256Hex } from '../../lib/tokens/hashing';
import { hasValidChecksum } from '../../lib/tokens/random-token';
import { callMe, signedInBrowser } from './support/device-flow';
import {
  API,
  CreatedToken,
  createToken,
  DAY,
  expectInvalidRequest,
  expectInvalidToken,
  iso,
  listTokens,
} from './support/personal-access-tokens';
import { ISSUER, useTestApp } from './support/test-app';

describe('personal access tokens: creating, listing and revoking through the JSON API', () => {
  const testApp = useTestApp();

  it('creates a token for the signed-in user: 201, never cached, the raw bpat_ token once, with its view', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const response = await alice
      .post(API)
      .send({ name: '  deploy script  ', scopes: ['user:read', 'listings:read', 'user:read'] })
      .expect(201);
    expect(response.headers['cache-control']).toBe('no-store');
    const created = response.body as CreatedToken;
    // bpat_ + 30 base62 random characters (178 bits) + 6 base62 characters of CRC32.
    expect(created.token).toMatch(/^bpat_[0-9A-Za-z]{36}$/);
    expect(hasValidChecksum(created.token, 'bpat_')).toBe(true);
    const now = testApp.clock.now();
    expect(created).toEqual({
      token: created.token,
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'deploy script',
      scopes: ['user:read', 'listings:read'],
      clientId: null,
      hint: `bpat_…${created.token.slice(-4)}`,
      createdAt: iso(now),
      // No expiry asked for: the default, 90 days.
      expiresAt: iso(now + 90 * DAY * 1000),
      lastUsedAt: null,
      lastUsedIp: null,
      revokedAt: null,
      status: 'active',
    });

    const me = await callMe(testApp, created.token).expect(200);
    expect(me.body).toMatchObject({ username: 'alice', tokenKind: 'pat', clientId: null, scopes: ['user:read', 'listings:read'] });
  });

  it('draws a new random token every time', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const tokens = await Promise.all([1, 2, 3].map(() => createToken(alice)));
    expect(new Set(tokens.map((created) => created.token.slice(5, 35))).size).toBe(3);
  });

  it('takes an expiry in days, up to the maximum (366 days by default)', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const now = testApp.clock.now();
    expect((await createToken(alice, { expiresInDays: 30 })).expiresAt).toBe(iso(now + 30 * DAY * 1000));
    expect((await createToken(alice, { expiresInDays: 366 })).expiresAt).toBe(iso(now + 366 * DAY * 1000));
    expectInvalidRequest(
      await alice.post(API).send({ name: 'too long', scopes: ['user:read'], expiresInDays: 367 }),
      /expiry must be between 1 second and 366 days/,
    );
  });

  it('lists the user’s tokens, newest first, without any secret', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    testApp.clock.advance(1);
    const older = await createToken(alice, { name: 'older' });
    testApp.clock.advance(1);
    const newer = await createToken(alice, { name: 'newer' });

    const response = await alice.get(API).expect(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const listed = response.body as PersonalAccessTokenView[];
    expect(listed.slice(0, 2).map((view) => view.id)).toEqual([newer.id, older.id]);
    const { token, ...view } = newer;
    expect(listed[0]).toEqual(view);
    for (const entry of listed) expect(Object.keys(entry).sort()).toEqual(Object.keys(view).sort());
    expect(response.text).not.toContain(older.token);
    expect(response.text).not.toContain(token);
    expect(response.text).not.toContain(sha256Hex(token));
  });

  it('revokes a token: 204, the next call with it is refused at once, the listing says revoked, a second revoke is 404', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const created = await createToken(alice);
    await callMe(testApp, created.token).expect(200); // now in the verified-token cache

    testApp.clock.advance(1);
    await alice.delete(`${API}/${created.id}`).expect(204);
    expectInvalidToken(await callMe(testApp, created.token), /revoked/);

    const listed = (await listTokens(alice)).find((view) => view.id === created.id);
    expect(listed).toMatchObject({ status: 'revoked', revokedAt: iso(testApp.clock.now()) });
    await alice.delete(`${API}/${created.id}`).expect(404);
  });

  it.each([
    ['an unknown id', '00000000-0000-4000-8000-000000000000'],
    ['an id that is no UUID', 'not-an-id'],
    ['an id with a NUL byte', 'a%00b'],
  ])('answers DELETE of %s with 404', async (_, id) => {
    const alice = await signedInBrowser(testApp, 'alice');
    const response = await alice.delete(`${API}/${id}`);
    expect(response.status).toBe(404);
  });

  it('answers DELETE of a 10 KB id with 404 (Fastify’s router refuses so long a segment itself: 414)', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const response = await alice.delete(`${API}/${'a'.repeat(10 * 1024)}`);
    expect(response.status).toBe(httpPlatformFromEnv() === 'fastify' ? 414 : 404);
  });

  it('answers a caller with neither a session nor a bearer token 401 with a bare Bearer challenge, for every method', async () => {
    const created = await createToken(await signedInBrowser(testApp, 'alice'));
    for (const response of [
      await request(testApp.http).get(API),
      await request(testApp.http)
        .post(API)
        .send({ name: 'x', scopes: ['user:read'] }),
      await request(testApp.http).delete(`${API}/${created.id}`),
    ]) {
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe(`Bearer realm="${ISSUER}"`);
    }
    await callMe(testApp, created.token).expect(200);
  });
});

describe('personal access tokens: other users', () => {
  const testApp = useTestApp();

  it('cannot see another user’s tokens', async () => {
    const alices = await createToken(await signedInBrowser(testApp, 'alice'), { name: 'alice only' });
    const bob = await signedInBrowser(testApp, 'bob');
    const bobs = await createToken(bob, { name: 'bob only' });
    const response = await bob.get(API).expect(200);
    expect(response.body.map((view: PersonalAccessTokenView) => view.id)).toEqual([bobs.id]);
    expect(response.text).not.toContain(alices.id);
  });

  it('cannot revoke another user’s token: 404, and the token keeps working', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const alices = await createToken(alice);
    const bob = await signedInBrowser(testApp, 'bob');
    await bob.delete(`${API}/${alices.id}`).expect(404);
    await callMe(testApp, alices.token).expect(200);
    expect((await listTokens(alice)).find((view) => view.id === alices.id)?.status).toBe('active');
  });

  it('cannot reach another user’s token through a bearer token of their own either', async () => {
    const alices = await createToken(await signedInBrowser(testApp, 'alice'), { scopes: ['tokens:manage', 'user:read'] });
    const bob = await signedInBrowser(testApp, 'bob');
    const bobs = await createToken(bob, { scopes: ['tokens:manage', 'user:read'] });
    const listed = await request(testApp.http).get(API).set('Authorization', `Bearer ${bobs.token}`).expect(200);
    // Exactly what bob's own session lists: his tokens, none of alice's.
    expect(listed.body.map((view: PersonalAccessTokenView) => view.id)).toEqual((await listTokens(bob)).map((view) => view.id));
    expect(listed.body.map((view: PersonalAccessTokenView) => view.id)).toContain(bobs.id);
    expect(listed.text).not.toContain(alices.id);
    await request(testApp.http).delete(`${API}/${alices.id}`).set('Authorization', `Bearer ${bobs.token}`).expect(404);
    await callMe(testApp, alices.token).expect(200);
  });
});

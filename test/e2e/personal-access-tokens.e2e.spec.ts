import { httpPlatformFromEnv } from '../../sample-app/create-app';
import { Agent } from 'node:http';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { ClientsService, PersonalAccessTokenError, PersonalAccessTokensService, PersonalAccessTokenView } from '../../lib';
import { PersonalAccessTokenStore } from '../../lib/storage/personal-access-token.store';
import { sha256Hex } from '../../lib/tokens/hashing';
import { generateToken, hasValidChecksum } from '../../lib/tokens/random-token';
import { parseChallenge } from './support/bearer';
import { decideInBrowser, deviceLogin, pollToken, refresh, signedInBrowser, startDeviceAuthorization } from './support/device-flow';
import { bootTestApp, ISSUER, TestApp, useTestApp } from './support/test-app';

const API = '/o/personal-access-tokens';
const ME = '/api/v1/me';
const LISTINGS = '/api/v1/listings';
const DAY = 24 * 3600;

/** What POST /o/personal-access-tokens answers: the view and, this once, the raw token. */
type CreatedToken = PersonalAccessTokenView & { token: string };

/** Creates a PAT through the JSON API (as a signed-in browser, or with a bearer token). */
async function createToken(
  caller: TestAgent | { testApp: TestApp; bearer: string },
  body: Record<string, unknown> = {},
): Promise<CreatedToken> {
  const payload = { name: 'deploy script', scopes: ['user:read'], ...body };
  const post =
    'testApp' in caller ? request(caller.testApp.http).post(API).set('Authorization', `Bearer ${caller.bearer}`) : caller.post(API);
  const response = await post.send(payload);
  if (response.status !== 201) throw new Error(`expected 201 from POST ${API}, got ${response.status}: ${response.text}`);
  return response.body as CreatedToken;
}

const listTokens = async (browser: TestAgent): Promise<PersonalAccessTokenView[]> => (await browser.get(API).expect(200)).body;

/** A call to the sample app's API with `Authorization: Bearer <token>`. */
const call = (testApp: TestApp, token: string, path = ME) => request(testApp.http).get(path).set('Authorization', `Bearer ${token}`);

/** The same, connecting from another loopback address so the app sees another client IP. */
const callFrom = (testApp: TestApp, address: string, token: string) =>
  request(testApp.http)
    .get(ME)
    .agent(new Agent({ localAddress: address }))
    .set('Authorization', `Bearer ${token}`);

/** A 401 whose challenge is `Bearer realm="<issuer>", error="invalid_token"`. */
function expectInvalidToken(response: request.Response, description?: RegExp): void {
  expect(response.status).toBe(401);
  const challenge = parseChallenge(response.headers['www-authenticate']);
  expect(challenge.scheme).toBe('Bearer');
  expect(challenge.params).toMatchObject({ realm: ISSUER, error: 'invalid_token' });
  if (description) expect(challenge.params.error_description).toMatch(description);
}

/** A 400 `invalid_request` JSON answer, never cached, with a description matching `description`. */
function expectInvalidRequest(response: request.Response, description: RegExp): void {
  expect(response.status).toBe(400);
  expect(response.type).toBe('application/json');
  expect(response.headers['cache-control']).toBe('no-store');
  expect(response.body.error).toBe('invalid_request');
  expect(response.body.error_description).toMatch(description);
}

interface StoredRow {
  token_hash: string;
  display_hint: string;
  expires_at: number | null;
  last_used_at: number | null;
  last_used_ip: string | null;
  revoked_at: number | null;
}

/** The stored row of a PAT, read straight from the database (epoch-millis columns as numbers: PostgreSQL gives bigint as a string). */
async function storedRow(testApp: TestApp, id: string): Promise<StoredRow> {
  const rows = await testApp.app.get(DataSource).query(`SELECT * FROM device_auth_personal_access_tokens WHERE id = '${id}'`);
  expect(rows).toHaveLength(1);
  const millis = (value: unknown) => (value === null ? null : Number(value));
  const row = rows[0] as StoredRow;
  return { ...row, last_used_at: millis(row.last_used_at), revoked_at: millis(row.revoked_at), expires_at: millis(row.expires_at) };
}

const iso = (millis: number) => new Date(millis).toISOString();

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

    const me = await call(testApp, created.token).expect(200);
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
    await call(testApp, created.token).expect(200); // now in the verified-token cache

    testApp.clock.advance(1);
    await alice.delete(`${API}/${created.id}`).expect(204);
    expectInvalidToken(await call(testApp, created.token), /revoked/);

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
    await call(testApp, created.token).expect(200);
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
    await call(testApp, alices.token).expect(200);
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
    await call(testApp, alices.token).expect(200);
  });
});

describe('personal access tokens: managing them with a bearer token that carries tokens:manage', () => {
  const testApp = useTestApp();

  it('lets a device-flow token with tokens:manage create, list and revoke its user’s tokens', async () => {
    const cli = (await deviceLogin(testApp, 'alice', 'sample-cli', 'tokens:manage user:read listings:read')).access_token;
    const created = await createToken({ testApp, bearer: cli }, { name: 'from the CLI', scopes: ['listings:read'] });
    expect(created.token).toMatch(/^bpat_/);
    expect((await call(testApp, created.token, LISTINGS).expect(200)).body).toEqual([]);

    const listed = await request(testApp.http).get(API).set('Authorization', `Bearer ${cli}`).expect(200);
    expect(listed.body.map((view: PersonalAccessTokenView) => view.id)).toContain(created.id);
    // The same token is in the signed-in user's own listing: it is alice's.
    expect((await listTokens(await signedInBrowser(testApp, 'alice'))).map((view) => view.id)).toContain(created.id);

    await request(testApp.http).delete(`${API}/${created.id}`).set('Authorization', `Bearer ${cli}`).expect(204);
    expectInvalidToken(await call(testApp, created.token, LISTINGS));
  });

  it('refuses a token without tokens:manage: 403 insufficient_scope naming it, and creates nothing', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const before = (await listTokens(alice)).length;
    const readOnly = (await deviceLogin(testApp, 'alice', 'sample-cli', 'user:read')).access_token;
    const bobsTeamCli = (await deviceLogin(testApp, 'bob', 'team-cli')).access_token;
    for (const bearer of [readOnly, bobsTeamCli]) {
      for (const response of [
        await request(testApp.http).get(API).set('Authorization', `Bearer ${bearer}`),
        await request(testApp.http)
          .post(API)
          .set('Authorization', `Bearer ${bearer}`)
          .send({ name: 'x', scopes: ['user:read'] }),
      ]) {
        expect(response.status).toBe(403);
        expect(parseChallenge(response.headers['www-authenticate']).params).toMatchObject({
          realm: ISSUER,
          error: 'insufficient_scope',
          scope: 'tokens:manage',
        });
      }
    }
    expect(await listTokens(alice)).toHaveLength(before);
  });

  it('never lets a bearer token create a PAT with a scope it does not carry itself', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const before = (await listTokens(alice)).length;
    const cli = (await deviceLogin(testApp, 'alice', 'sample-cli', 'tokens:manage user:read')).access_token;
    const refused = await request(testApp.http)
      .post(API)
      .set('Authorization', `Bearer ${cli}`)
      .send({ name: 'wider', scopes: ['user:read', 'listings:write'] });
    expectInvalidRequest(refused, /scopes it does not have: listings:write/);
    expect(await listTokens(alice)).toHaveLength(before);
    // Within its own scopes it may.
    await createToken({ testApp, bearer: cli }, { scopes: ['user:read'] });
  });

  it('lets a PAT with tokens:manage manage tokens, and that use shows on it like any other', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const manager = await createToken(alice, { name: 'token rotator', scopes: ['tokens:manage'] });
    const listed = await request(testApp.http).get(API).set('Authorization', `Bearer ${manager.token}`).expect(200);
    expect(listed.headers['token-expiration']).toBe(manager.expiresAt);
    expect((await storedRow(testApp, manager.id)).last_used_at).toBe(testApp.clock.now());
  });

  it('answers 401 invalid_token to a revoked, expired or forged bearer token, and 400 to a malformed header', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const manager = await createToken(alice, { scopes: ['tokens:manage'], expiresInDays: 1 });
    await request(testApp.http).get(API).set('Authorization', `Bearer ${manager.token}`).expect(200);
    expectInvalidToken(
      await request(testApp.http)
        .get(API)
        .set('Authorization', `Bearer ${generateToken('bpat_')}`),
    );
    expectInvalidToken(await request(testApp.http).get(API).set('Authorization', 'Bearer not-a-token'));

    const revoked = await createToken(alice, { scopes: ['tokens:manage'] });
    await alice.delete(`${API}/${revoked.id}`).expect(204);
    expectInvalidToken(await request(testApp.http).get(API).set('Authorization', `Bearer ${revoked.token}`));

    testApp.clock.advance(DAY);
    expectInvalidToken(await request(testApp.http).get(API).set('Authorization', `Bearer ${manager.token}`));

    for (const header of ['Bearer', 'Basic YWxpY2U6YWxpY2UtcGFzc3dvcmQ=', `Bearer ${revoked.token} ${revoked.token}`]) {
      const response = await request(testApp.http).get(API).set('Authorization', header);
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('invalid_request');
    }
  });
});

describe('personal access tokens: bad inputs to the JSON API (a clear 4xx, never a 500, nothing created)', () => {
  const testApp = useTestApp();
  let alice: TestAgent;
  beforeAll(async () => {
    alice = await signedInBrowser(testApp, 'alice');
  });

  const valid = { name: 'script', scopes: ['user:read'] };

  it.each<[string, Record<string, unknown> | unknown[] | string, RegExp]>([
    ['no name', { scopes: ['user:read'] }, /name must be a string/],
    ['a numeric name', { ...valid, name: 42 }, /name must be a string/],
    ['a name as a list', { ...valid, name: ['script'] }, /name must be a string/],
    ['an empty name', { ...valid, name: '' }, /name is required/],
    ['a name of spaces only', { ...valid, name: '   ' }, /name is required/],
    ['a name of 101 characters', { ...valid, name: 'n'.repeat(101) }, /at most 100 characters/],
    ['a 10 KB name', { ...valid, name: 'n'.repeat(10 * 1024) }, /at most 100 characters/],
    ['a name with a NUL byte', { ...valid, name: 'deploy\u0000script' }, /name must not contain control characters/],
    ['a name with CR/LF', { ...valid, name: 'deploy\r\nscript' }, /name must not contain control characters/],
    ['no scopes', { name: 'script' }, /scopes must be a list of strings/],
    ['scopes as a string, not a list', { ...valid, scopes: 'user:read' }, /scopes must be a list of strings/],
    ['scopes as an object', { ...valid, scopes: { 0: 'user:read' } }, /scopes must be a list of strings/],
    ['a number among the scopes', { ...valid, scopes: ['user:read', 1] }, /scopes must be a list of strings/],
    ['an empty scope list', { ...valid, scopes: [] }, /non-empty list/],
    ['an unknown scope', { ...valid, scopes: ['user:read', 'admin'] }, /not allowed for this token: admin/],
    ['the sign-in scope openid', { ...valid, scopes: ['user:read', 'openid'] }, /^scopes not allowed for this token: openid$/],
    ['the sign-in scope profile', { ...valid, scopes: ['profile'] }, /^scopes not allowed for this token: profile$/],
    ['the sign-in scope email', { ...valid, scopes: ['email'] }, /^scopes not allowed for this token: email$/],
    ['the sign-in scope offline_access', { ...valid, scopes: ['offline_access'] }, /^scopes not allowed for this token: offline_access$/],
    ['expiresInDays as a string', { ...valid, expiresInDays: '30' }, /expiresInDays must be a whole number/],
    ['a fractional expiresInDays', { ...valid, expiresInDays: 1.5 }, /expiresInDays must be a whole number/],
    ['expiresInDays 0', { ...valid, expiresInDays: 0 }, /expiry must be between/],
    ['a negative expiresInDays', { ...valid, expiresInDays: -1 }, /expiry must be between/],
    ['expiresInDays above the maximum', { ...valid, expiresInDays: 367 }, /expiry must be between 1 second and 366 days/],
    ['an enormous expiresInDays', { ...valid, expiresInDays: 1e300 }, /expiry must be between/],
    ['"never" (null) where it is not allowed', { ...valid, expiresInDays: null }, /never expire are not allowed/],
    ['a numeric clientId', { ...valid, clientId: 7 }, /clientId must be a string/],
    ['an unknown clientId', { ...valid, clientId: 'no-such-app' }, /clientId must be a personal app bound to this user/],
    ['a clientId with a NUL byte', { ...valid, clientId: 'sample-cli\u0000' }, /clientId must be a personal app bound to this user/],
    ['a 10 KB clientId', { ...valid, clientId: 'c'.repeat(10 * 1024) }, /clientId must be a personal app bound to this user/],
    ['a JSON list instead of an object', [valid], /Send a JSON object/],
  ])('refuses %s with 400 invalid_request', async (_, body, description) => {
    const before = (await listTokens(alice)).length;
    expectInvalidRequest(await alice.post(API).send(body as object), description);
    expect(await listTokens(alice)).toHaveLength(before);
  });

  it.each<[string, (post: request.Test) => request.Test]>([
    ['a form body instead of JSON', (post) => post.type('form').send('name=script&scopes=user:read')],
    ['a form body with array-shaped fields', (post) => post.type('form').send('name[]=script&scopes[]=user:read')],
    ['a text/plain body', (post) => post.set('Content-Type', 'text/plain').send(JSON.stringify(valid))],
    ['no body and no content type', (post) => post],
  ])('refuses %s with 400 invalid_request asking for application/json', async (_, send) => {
    const before = (await listTokens(alice)).length;
    expectInvalidRequest(await send(alice.post(API)), /application\/json/);
    expect(await listTokens(alice)).toHaveLength(before);
  });

  it.each<[string, (post: request.Test) => request.Test, number]>([
    ['JSON that does not parse', (post) => post.set('Content-Type', 'application/json').send('{"name": "script", "scopes": ['), 400],
    ['a 100 KB body', (post) => post.send({ ...valid, padding: 'p'.repeat(100 * 1024) }), 413],
  ])('answers %s with a 4xx', async (_, send, status) => {
    const before = (await listTokens(alice)).length;
    const response = await send(alice.post(API));
    expect(response.status).toBe(status);
    expect(await listTokens(alice)).toHaveLength(before);
  });
});

describe('personal access tokens: options', () => {
  describe('allowNoExpiry: true', () => {
    const testApp = useTestApp({ deviceAuth: { personalAccessTokens: { allowNoExpiry: true } } });

    it('creates a token that never expires (expiresInDays: null), and calls with it say Token-Expiration: never', async () => {
      const created = await createToken(await signedInBrowser(testApp, 'alice'), { expiresInDays: null });
      expect(created.expiresAt).toBeNull();
      expect((await storedRow(testApp, created.id)).expires_at).toBeNull();
      testApp.clock.advance(10 * 366 * DAY);
      const me = await call(testApp, created.token).expect(200);
      expect(me.headers['token-expiration']).toBe('never');
    });

    it('still gives the default lifetime when no expiry is named', async () => {
      const created = await createToken(await signedInBrowser(testApp, 'alice'));
      expect(created.expiresAt).toBe(iso(testApp.clock.now() + 90 * DAY * 1000));
    });
  });

  describe('a 30-day maximum and a 7-day default', () => {
    const testApp = useTestApp({ deviceAuth: { personalAccessTokens: { maxTtl: 30 * DAY, defaultTtl: 7 * DAY } } });

    it('gives 7 days by default, accepts 30, and refuses 31 naming the maximum', async () => {
      const alice = await signedInBrowser(testApp, 'alice');
      const now = testApp.clock.now();
      expect((await createToken(alice)).expiresAt).toBe(iso(now + 7 * DAY * 1000));
      expect((await createToken(alice, { expiresInDays: 30 })).expiresAt).toBe(iso(now + 30 * DAY * 1000));
      expectInvalidRequest(
        await alice.post(API).send({ name: 'x', scopes: ['user:read'], expiresInDays: 31 }),
        /between 1 second and 30 days/,
      );
    });
  });

  describe('prefix: "acme_"', () => {
    const testApp = useTestApp({ deviceAuth: { personalAccessTokens: { prefix: 'acme_' } } });

    it('issues acme_ tokens that work, and refuses bpat_-shaped ones', async () => {
      const created = await createToken(await signedInBrowser(testApp, 'alice'));
      expect(created.token).toMatch(/^acme_[0-9A-Za-z]{36}$/);
      expect(created.hint).toBe(`acme_…${created.token.slice(-4)}`);
      expect((await call(testApp, created.token).expect(200)).body.tokenKind).toBe('pat');
      expectInvalidToken(await call(testApp, 'bpat_' + created.token.slice(5)));
    });
  });

  describe('cacheSeconds: 0', () => {
    const testApp = useTestApp({ deviceAuth: { personalAccessTokens: { cacheSeconds: 0 } } });

    it('reads the token on every call, so a revocation by another instance takes effect at once', async () => {
      const created = await createToken(await signedInBrowser(testApp, 'alice'));
      const lookups = jest.spyOn(testApp.app.get(PersonalAccessTokenStore), 'findByHash');
      try {
        for (let i = 0; i < 3; i++) await call(testApp, created.token).expect(200);
        expect(lookups).toHaveBeenCalledTimes(3);
        await testApp.app
          .get(DataSource)
          .query(`UPDATE device_auth_personal_access_tokens SET revoked_at = ${testApp.clock.now()} WHERE id = '${created.id}'`);
        expectInvalidToken(await call(testApp, created.token));
      } finally {
        lookups.mockRestore();
      }
    });
  });

  describe('scopes: listings:read and openid', () => {
    const testApp = useTestApp({ deviceAuth: { personalAccessTokens: { scopes: ['listings:read', 'openid'] } } });

    it('puts exactly those on tokens: openid is accepted, a scope left out is refused the same way as a sign-in scope', async () => {
      const alice = await signedInBrowser(testApp, 'alice');
      const created = await createToken(alice, { scopes: ['listings:read', 'openid'] });
      expect(created.scopes).toEqual(['listings:read', 'openid']);
      await call(testApp, created.token, LISTINGS).expect(200);
      expectInvalidRequest(
        await alice.post(API).send({ name: 'x', scopes: ['user:read'] }),
        /^scopes not allowed for this token: user:read$/,
      );
      expectInvalidRequest(await alice.post(API).send({ name: 'x', scopes: ['email'] }), /^scopes not allowed for this token: email$/);
      expect(await listTokens(alice)).toHaveLength(1);
    });

    it('narrows a grantableScopes hook to them too', async () => {
      const hooked = await bootTestApp({
        deviceAuth: { personalAccessTokens: { scopes: ['listings:read'], grantableScopes: () => ['listings:read', 'user:read', 'email'] } },
      });
      try {
        const service = hooked.app.get(PersonalAccessTokensService);
        expect(await service.grantableScopes(await hooked.userId('alice'))).toEqual(['listings:read']);
      } finally {
        await hooked.close();
      }
    });
  });

  describe('grantableScopes: bob may only grant user:read', () => {
    const users: { bob?: string } = {};
    const testApp = useTestApp({
      deviceAuth: {
        personalAccessTokens: {
          grantableScopes: (userId) =>
            userId === users.bob ? ['user:read'] : ['user:read', 'listings:read', 'listings:write', 'tokens:manage'],
        },
      },
    });
    beforeAll(async () => {
      users.bob = await testApp.userId('bob');
    });

    it('refuses bob a scope beyond his grantable ones, and gives alice hers', async () => {
      const bob = await signedInBrowser(testApp, 'bob');
      expectInvalidRequest(
        await bob.post(API).send({ name: 'x', scopes: ['user:read', 'listings:read'] }),
        /not allowed for this token: listings:read/,
      );
      expect(await listTokens(bob)).toEqual([]);
      await createToken(bob, { scopes: ['user:read'] });
      await createToken(await signedInBrowser(testApp, 'alice'), { scopes: ['user:read', 'listings:read'] });
    });

    it('keeps the sample app’s management scope next to the options a host adds', async () => {
      const manager = await createToken(await signedInBrowser(testApp, 'alice'), { scopes: ['tokens:manage'] });
      await request(testApp.http).get(API).set('Authorization', `Bearer ${manager.token}`).expect(200);
    });
  });
});

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
    expect((await call(testApp, pat.token).expect(200)).body).toMatchObject({ username: 'alice', tokenKind: 'pat', clientId: null });
    expect((await call(testApp, jwt).expect(200)).body).toMatchObject({ username: 'alice', tokenKind: 'jwt', clientId: 'sample-cli' });
  });

  it('accepts the scheme in any case', async () => {
    const pat = await createToken(alice);
    await request(testApp.http).get(ME).set('Authorization', `bEaReR ${pat.token}`).expect(200);
  });

  it('checks scopes as for a JWT: 403 insufficient_scope naming the missing one', async () => {
    const pat = await createToken(alice, { scopes: ['user:read'] });
    const response = await call(testApp, pat.token, LISTINGS).expect(403);
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
    expect((await call(testApp, pat.token, LISTINGS).expect(200)).body).toEqual([expect.objectContaining({ id: created.body.id })]);
    // Listings are its scopes, not user:read.
    await call(testApp, pat.token, ME).expect(403);
  });

  it('says when the token lapses in a Token-Expiration header on PAT calls (on a 403 too), and never on JWT calls', async () => {
    const pat = await createToken(alice, { expiresInDays: 30 });
    const me = await call(testApp, pat.token).expect(200);
    expect(me.headers['token-expiration']).toBe(pat.expiresAt);
    expect(me.headers['token-expiration']).toBe(iso(Date.parse(pat.createdAt) + 30 * DAY * 1000));
    expect((await call(testApp, pat.token, LISTINGS).expect(403)).headers['token-expiration']).toBe(pat.expiresAt);

    const jwt = (await deviceLogin(testApp, 'alice', 'sample-cli', 'user:read')).access_token;
    expect((await call(testApp, jwt).expect(200)).headers['token-expiration']).toBeUndefined();
  });

  it('accepts a PAT until it expires (90 days by default), then answers 401 invalid_token', async () => {
    const pat = await createToken(alice);
    await call(testApp, pat.token).expect(200);
    testApp.clock.advance(90 * DAY - 1);
    await call(testApp, pat.token).expect(200);
    testApp.clock.advance(1);
    expectInvalidToken(await call(testApp, pat.token), /expired/);
    expect((await listTokens(alice)).find((view) => view.id === pat.id)?.status).toBe('expired');
  });

  it('refuses a token whose checksum fails with 401 invalid_token, without touching the database', async () => {
    const pat = await createToken(alice);
    const lookups = jest.spyOn(testApp.app.get(PersonalAccessTokenStore), 'findByHash');

    // The control: a well-formed token that was never issued is looked up, once, and refused.
    expectInvalidToken(await call(testApp, generateToken('bpat_')), /Unknown/);
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
    for (const token of broken) expectInvalidToken(await call(testApp, token), /malformed/);
    expect(lookups).not.toHaveBeenCalled();
    // And the real one still works.
    await call(testApp, pat.token).expect(200);
  });

  it('serves a hot loop of 50 calls with one database read and one last-used write', async () => {
    const pat = await createToken(alice);
    const store = testApp.app.get(PersonalAccessTokenStore);
    const lookups = jest.spyOn(store, 'findByHash');
    const stamps = jest.spyOn(store, 'touch');
    for (let i = 0; i < 50; i++) await call(testApp, pat.token).expect(200);
    expect(lookups).toHaveBeenCalledTimes(1);
    expect(stamps).toHaveBeenCalledTimes(1);
    // A burst of concurrent calls on the warm cache costs nothing either.
    const burst = await Promise.all(Array.from({ length: 20 }, () => call(testApp, pat.token)));
    expect(burst.map((response) => response.status)).toEqual(Array(20).fill(200));
    expect(lookups).toHaveBeenCalledTimes(1);
    expect(stamps).toHaveBeenCalledTimes(1);
    // Once the cache has gone stale (cacheSeconds, 5 s) the token is read again.
    testApp.clock.advance(5);
    await call(testApp, pat.token).expect(200);
    expect(lookups).toHaveBeenCalledTimes(2);
  });

  it('honours a revocation made by another instance within cacheSeconds (5 s)', async () => {
    const pat = await createToken(alice);
    await call(testApp, pat.token).expect(200); // cached from now on
    // Another instance revokes it: only the database knows.
    await testApp.app
      .get(DataSource)
      .query(`UPDATE device_auth_personal_access_tokens SET revoked_at = ${testApp.clock.now()} WHERE id = '${pat.id}'`);
    await call(testApp, pat.token).expect(200);
    testApp.clock.advance(4);
    await call(testApp, pat.token).expect(200);
    testApp.clock.advance(1);
    expectInvalidToken(await call(testApp, pat.token), /revoked/);
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

describe('PersonalAccessTokensService, for host code', () => {
  const testApp = useTestApp();

  it('provisions a token programmatically; the guard accepts it; list and revoke work', async () => {
    const service = testApp.app.get(PersonalAccessTokensService);
    const aliceId = await testApp.userId('alice');
    const { token, view } = await service.create({ userId: aliceId, name: 'provisioned', scopes: ['user:read'], expiresInSeconds: 3600 });
    expect(token).toMatch(/^bpat_[0-9A-Za-z]{36}$/);
    expect(view).toMatchObject({
      name: 'provisioned',
      scopes: ['user:read'],
      expiresAt: iso(testApp.clock.now() + 3_600_000),
      status: 'active',
    });
    expect((await call(testApp, token).expect(200)).body).toMatchObject({ username: 'alice', tokenKind: 'pat' });

    expect((await service.list(aliceId)).map((listed) => listed.id)).toEqual([view.id]);
    expect(await service.list(await testApp.userId('bob'))).toEqual([]);

    expect(await service.revoke(await testApp.userId('bob'), view.id)).toBe(false);
    await call(testApp, token).expect(200);
    expect(await service.revoke(aliceId, view.id)).toBe(true);
    expectInvalidToken(await call(testApp, token));
  });

  it.each<[string, (ids: { alice: string; bob: string }) => Parameters<PersonalAccessTokensService['create']>[0]]>([
    ['an unknown scope', ({ alice }) => ({ userId: alice, name: 'x', scopes: ['admin'] })],
    ['a sign-in scope', ({ alice }) => ({ userId: alice, name: 'x', scopes: ['user:read', 'offline_access'] })],
    ['no scopes', ({ alice }) => ({ userId: alice, name: 'x', scopes: [] })],
    ['scopes that are not a list', ({ alice }) => ({ userId: alice, name: 'x', scopes: 'user:read' as unknown as string[] })],
    ['an empty name', ({ alice }) => ({ userId: alice, name: ' ', scopes: ['user:read'] })],
    ['a lifetime above the maximum', ({ alice }) => ({ userId: alice, name: 'x', scopes: ['user:read'], expiresInSeconds: 367 * DAY })],
    ['a fractional lifetime', ({ alice }) => ({ userId: alice, name: 'x', scopes: ['user:read'], expiresInSeconds: 1.5 })],
    ['no expiry where it is not allowed', ({ alice }) => ({ userId: alice, name: 'x', scopes: ['user:read'], expiresInSeconds: null })],
    ['another user’s personal app', ({ bob }) => ({ userId: bob, name: 'x', scopes: ['user:read'], clientId: 'sample-cli' })],
  ])('refuses %s with a PersonalAccessTokenError, and stores nothing', async (_, input) => {
    const service = testApp.app.get(PersonalAccessTokensService);
    const ids = { alice: await testApp.userId('alice'), bob: await testApp.userId('bob') };
    const before = [...(await service.list(ids.alice)), ...(await service.list(ids.bob))].length;
    await expect(service.create(input(ids))).rejects.toBeInstanceOf(PersonalAccessTokenError);
    expect([...(await service.list(ids.alice)), ...(await service.list(ids.bob))]).toHaveLength(before);
  });
});

describe('personal apps', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await bootTestApp();
    // A second personal app of alice's, narrower than sample-cli.
    await testApp.app.get(ClientsService).register({
      clientId: 'alice-reader',
      name: 'Alice’s reader',
      type: 'public',
      mode: 'personal',
      ownerUserId: await testApp.userId('alice'),
      grantTypes: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
      scopes: ['user:read'],
    });
  });
  afterAll(() => testApp.close());

  describe('PATs provisioned for a personal app (clientId)', () => {
    it('lets the app’s bound user create one: the principal names the app', async () => {
      const alice = await signedInBrowser(testApp, 'alice');
      const created = await createToken(alice, { clientId: 'sample-cli', scopes: ['user:read'] });
      expect(created.clientId).toBe('sample-cli');
      expect((await call(testApp, created.token).expect(200)).body).toMatchObject({
        username: 'alice',
        tokenKind: 'pat',
        clientId: 'sample-cli',
      });
    });

    it('refuses anyone else: bob cannot own a PAT of alice’s personal app, through the API or the service', async () => {
      const bob = await signedInBrowser(testApp, 'bob');
      expectInvalidRequest(
        await bob.post(API).send({ name: 'x', scopes: ['user:read'], clientId: 'sample-cli' }),
        /clientId must be a personal app bound to this user/,
      );
      expect(await listTokens(bob)).toEqual([]);
      await expect(
        testApp.app
          .get(PersonalAccessTokensService)
          .create({ userId: await testApp.userId('bob'), name: 'x', scopes: ['user:read'], clientId: 'sample-cli' }),
      ).rejects.toThrow(/personal app bound to this user/);
      expect(await listTokens(bob)).toEqual([]);
    });

    it('refuses a partner app as clientId', async () => {
      const alice = await signedInBrowser(testApp, 'alice');
      expectInvalidRequest(
        await alice.post(API).send({ name: 'x', scopes: ['user:read'], clientId: 'team-cli' }),
        /clientId must be a personal app bound to this user/,
      );
    });

    it('refuses scopes wider than the app’s own', async () => {
      const alice = await signedInBrowser(testApp, 'alice');
      const before = (await listTokens(alice)).length;
      expectInvalidRequest(
        await alice.post(API).send({ name: 'x', scopes: ['user:read', 'listings:read'], clientId: 'alice-reader' }),
        /not allowed for this token: listings:read/,
      );
      expect(await listTokens(alice)).toHaveLength(before);
      const within = await createToken(alice, { scopes: ['user:read'], clientId: 'alice-reader' });
      expect(within.clientId).toBe('alice-reader');
    });
  });

  describe('token requests carrying user_id', () => {
    it('refuses user_id on a device-code poll from a personal app (400 invalid_request) and leaves the code usable', async () => {
      const start = await startDeviceAuthorization(testApp, 'sample-cli');
      await decideInBrowser(await signedInBrowser(testApp, 'alice'), start.user_code, 'approve');
      const refused = await request(testApp.http)
        .post('/o/token/')
        .type('form')
        .send({
          grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
          device_code: start.device_code,
          client_id: 'sample-cli',
          user_id: await testApp.userId('bob'),
        })
        .expect(400);
      expect(refused.headers['cache-control']).toBe('no-store');
      expect(refused.body).toEqual({ error: 'invalid_request', error_description: 'user_id is not accepted for personal apps' });

      const tokens = (await pollToken(testApp, start.device_code).expect(200)).body;
      expect((await call(testApp, tokens.access_token).expect(200)).body.username).toBe('alice');
    });

    it('refuses user_id on a refresh from a personal app, even alice’s own id, without spending the refresh token', async () => {
      const login = await deviceLogin(testApp, 'alice', 'sample-cli');
      for (const userId of [await testApp.userId('bob'), await testApp.userId('alice')]) {
        const refused = await request(testApp.http)
          .post('/o/token/')
          .type('form')
          .send({ grant_type: 'refresh_token', refresh_token: login.refresh_token, client_id: 'sample-cli', user_id: userId })
          .expect(400);
        expect(refused.body).toEqual({ error: 'invalid_request', error_description: 'user_id is not accepted for personal apps' });
      }
      const rotated = (await refresh(testApp, login.refresh_token).expect(200)).body;
      expect((await call(testApp, rotated.access_token).expect(200)).body.username).toBe('alice');
    });

    it('never lets user_id change whom a partner app’s token speaks for', async () => {
      const login = await deviceLogin(testApp, 'bob', 'team-cli');
      const response = await request(testApp.http)
        .post('/o/token/')
        .type('form')
        .send({
          grant_type: 'refresh_token',
          refresh_token: login.refresh_token,
          client_id: 'team-cli',
          user_id: await testApp.userId('alice'),
        })
        .expect(200);
      expect((await call(testApp, response.body.access_token).expect(200)).body).toMatchObject({ username: 'bob', clientId: 'team-cli' });
    });
  });

  describe('every token issued through a personal app speaks for its owner', () => {
    it('issues alice’s tokens to sample-cli', async () => {
      const tokens = await deviceLogin(testApp, 'alice', 'sample-cli');
      expect((await call(testApp, tokens.access_token).expect(200)).body).toMatchObject({ username: 'alice', clientId: 'sample-cli' });
    });

    it('refuses bob’s approval of a sample-cli code on the page, and the code stays pending', async () => {
      const start = await startDeviceAuthorization(testApp, 'sample-cli');
      const bob = await signedInBrowser(testApp, 'bob');
      await bob.get('/oauth/device').query({ user_code: start.user_code }).expect(403);
      await bob.post('/oauth/device').type('form').send({ user_code: start.user_code, csrf_token: 'x', action: 'approve' }).expect(403);
      testApp.clock.advance(start.interval);
      expect((await pollToken(testApp, start.device_code).expect(400)).body.error).toBe('authorization_pending');
    });

    it('issues no token for a personal app’s request that someone other than its owner approved (a stored approval by bob)', async () => {
      const start = await startDeviceAuthorization(testApp, 'sample-cli');
      await testApp.app
        .get(DataSource)
        .query(
          `UPDATE device_auth_device_authorizations SET status = 'approved', user_id = '${await testApp.userId('bob')}' WHERE device_code_hash = '${sha256Hex(start.device_code)}'`,
        );
      const response = await pollToken(testApp, start.device_code).expect(400);
      expect(response.body.error).toBe('invalid_grant');
      expect(response.body.access_token).toBeUndefined();
    });
  });
});

import { Controller, Get, Module, Post, UseGuards } from '@nestjs/common';
import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import request from 'supertest';
import { BearerTokenGuard, Scopes } from '../../lib';
import { parseChallenge, reSigned, serverSigningKey, unsignedJwt } from './support/bearer';
import { deviceLogin } from './support/device-flow';
import { ISSUER, TestApp, useTestApp } from './support/test-app';

const ME = '/api/v1/me';
const LISTINGS = '/api/v1/listings';

/** A fresh access token from a real device login as alice (all of sample-cli's scopes unless `scope`). */
async function accessToken(testApp: TestApp, scope?: string): Promise<string> {
  return (await deviceLogin(testApp, 'alice', 'sample-cli', scope)).access_token;
}

const getMe = (testApp: TestApp, authorization: string) => request(testApp.http).get(ME).set('Authorization', authorization);

/** A 401 whose challenge is `Bearer realm="<issuer>", error="invalid_token", …`. */
function expectInvalidToken(response: request.Response): void {
  expect(response.status).toBe(401);
  const challenge = parseChallenge(response.headers['www-authenticate']);
  expect(challenge.scheme).toBe('Bearer');
  expect(challenge.params.realm).toBe(ISSUER);
  expect(challenge.params.error).toBe('invalid_token');
}

/** A 400 whose challenge says `error="invalid_request"`. */
function expectInvalidRequest(response: request.Response): void {
  expect(response.status).toBe(400);
  expect(parseChallenge(response.headers['www-authenticate']).params.error).toBe('invalid_request');
}

/** RFC 6750 §3's challenge without an error, naming the protected-resource metadata (RFC 9728 §5.1). */
const BARE_CHALLENGE = `Bearer realm="${ISSUER}", resource_metadata="${ISSUER}/.well-known/oauth-protected-resource"`;
describe('bearer guard: requests without a token', () => {
  const testApp = useTestApp();

  it('answer 401 with a bare challenge: the realm and where the resource is described (RFC 9728), no error attribute', async () => {
    const response = await request(testApp.http).get(ME).expect(401);
    expect(response.headers['www-authenticate']).toBe(BARE_CHALLENGE);
  });

  it('answer the same for another scheme (Basic)', async () => {
    const response = await getMe(testApp, 'Basic YWxpY2U6YWxpY2UtcGFzc3dvcmQ=').expect(401);
    expect(response.headers['www-authenticate']).toBe(BARE_CHALLENGE);
  });

  it('ignore a valid token in the query string (?access_token=): 401 without an error attribute', async () => {
    const token = await accessToken(testApp);
    const response = await request(testApp.http).get(ME).query({ access_token: token }).expect(401);
    expect(response.headers['www-authenticate']).toBe(BARE_CHALLENGE);
  });
});

describe('bearer guard: tokens it refuses (401 invalid_token)', () => {
  const testApp = useTestApp();

  it.each([
    ['a random string', 'not-a-token'],
    ['three dots of garbage', 'a.b.c'],
    ['a personal-access-token lookalike', `bpat_${'A'.repeat(40)}`],
    ['a 10 KB token', 'A'.repeat(10 * 1024)],
  ])('refuses a malformed token: %s', async (_, token) => {
    expectInvalidToken(await getMe(testApp, `Bearer ${token}`));
  });

  it('refuses a well-formed JWT signed by a key it does not know', async () => {
    const real = await accessToken(testApp);
    const { privateKey } = await generateKeyPair('ES256');
    const stranger = await new SignJWT(decodeJwt(real))
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'someone-elses-key' })
      .sign(privateKey);
    expectInvalidToken(await getMe(testApp, `Bearer ${stranger}`));
  });

  it('refuses a JWT signed by another key under the server’s own kid', async () => {
    const real = await accessToken(testApp);
    const { privateKey } = await generateKeyPair('ES256');
    const impostor = await new SignJWT(decodeJwt(real)).setProtectedHeader(decodeProtectedHeader(real) as { alg: string }).sign(privateKey);
    expectInvalidToken(await getMe(testApp, `Bearer ${impostor}`));
  });

  it('refuses a token with a tampered signature', async () => {
    const real = await accessToken(testApp);
    const [header, payload, signature] = real.split('.');
    const flipped = signature.slice(0, 10) + (signature[10] === 'A' ? 'B' : 'A') + signature.slice(11);
    expectInvalidToken(await getMe(testApp, `Bearer ${header}.${payload}.${flipped}`));
  });

  it('refuses a token whose claims were changed after signing', async () => {
    const real = await accessToken(testApp, 'user:read');
    const [header, , signature] = real.split('.');
    const widened = Buffer.from(JSON.stringify({ ...decodeJwt(real), scope: 'user:read listings:read listings:write' })).toString(
      'base64url',
    );
    expectInvalidToken(await request(testApp.http).get(LISTINGS).set('Authorization', `Bearer ${header}.${widened}.${signature}`));
  });

  it('accepts a token until it expires, then refuses it (expires_in 3600 s)', async () => {
    const token = await accessToken(testApp);
    testApp.clock.advance(3599);
    await getMe(testApp, `Bearer ${token}`).expect(200);
    testApp.clock.advance(2);
    expectInvalidToken(await getMe(testApp, `Bearer ${token}`));
  });
});

describe('bearer guard: forged JWTs', () => {
  const testApp = useTestApp();
  let real: string;
  beforeAll(async () => {
    real = await accessToken(testApp);
  });

  it('accepts a copy re-signed unchanged with the server’s key (so each refusal below is down to its one change)', async () => {
    const response = await getMe(testApp, `Bearer ${await reSigned(testApp, real)}`).expect(200);
    expect(response.body.username).toBe('alice');
  });

  it('refuses alg "none" (jose UnsecuredJWT)', async () => {
    const unsecured = new UnsecuredJWT(decodeJwt(real)).encode();
    expectInvalidToken(await getMe(testApp, `Bearer ${unsecured}`));
  });

  it('refuses alg "none" even with the server’s kid and typ at+jwt', async () => {
    const { kid } = await serverSigningKey(testApp);
    expectInvalidToken(await getMe(testApp, `Bearer ${unsignedJwt({ typ: 'at+jwt', kid }, decodeJwt(real))}`));
  });

  it.each([
    ['typ "JWT" instead of "at+jwt"', { header: { typ: 'JWT' } }],
    ['no typ at all', { header: { typ: undefined } }],
    ['a wrong issuer', { claims: { iss: 'https://evil.example' } }],
    ['a wrong audience', { claims: { aud: 'https://another-api.example' } }],
    ['an exp already past', { claims: { exp: Math.floor(Date.UTC(2025, 0, 1) / 1000) } }],
  ])('refuses a token signed with the server’s own key but with %s', async (_, changes) => {
    expectInvalidToken(await getMe(testApp, `Bearer ${await reSigned(testApp, real, changes)}`));
  });
});

describe('bearer guard: scopes', () => {
  const testApp = useTestApp();

  it('lets a user:read token read /api/v1/me', async () => {
    const token = await accessToken(testApp, 'user:read');
    const response = await getMe(testApp, `Bearer ${token}`).expect(200);
    expect(response.body).toMatchObject({ username: 'alice', scopes: ['user:read'] });
  });

  it('refuses a user:read token on /api/v1/listings with 403 insufficient_scope naming listings:read', async () => {
    const token = await accessToken(testApp, 'user:read');
    const response = await request(testApp.http).get(LISTINGS).set('Authorization', `Bearer ${token}`).expect(403);
    const challenge = parseChallenge(response.headers['www-authenticate']);
    expect(challenge.scheme).toBe('Bearer');
    expect(challenge.params).toMatchObject({ realm: ISSUER, error: 'insufficient_scope', scope: 'listings:read' });
  });

  it('refuses a listings:read token on POST /api/v1/listings, naming listings:write, and creates nothing', async () => {
    const token = await accessToken(testApp, 'listings:read');
    const response = await request(testApp.http)
      .post(LISTINGS)
      .set('Authorization', `Bearer ${token}`)
      .send({ title: 'Should not exist', priceCents: 1 })
      .expect(403);
    expect(parseChallenge(response.headers['www-authenticate']).params).toMatchObject({
      error: 'insufficient_scope',
      scope: 'listings:write',
    });
    const list = await request(testApp.http).get(LISTINGS).set('Authorization', `Bearer ${token}`).expect(200);
    expect(list.body).toEqual([]);
  });
});

describe('bearer guard: how the token is sent', () => {
  const testApp = useTestApp();
  let token: string;
  beforeAll(async () => {
    token = await accessToken(testApp);
  });

  it.each(['Bearer', 'bearer', 'BEARER', 'bEaReR'])('accepts the scheme written %s', async (scheme) => {
    await getMe(testApp, `${scheme} ${token}`).expect(200);
  });

  it('refuses a token both in the header and in the form body (400 invalid_request)', async () => {
    const response = await request(testApp.http).get(ME).set('Authorization', `Bearer ${token}`).type('form').send({ access_token: token });
    expectInvalidRequest(response);
  });

  it('uses the header token when the query also carries one: the query is never read', async () => {
    await request(testApp.http).get(ME).set('Authorization', `Bearer ${token}`).query({ access_token: 'not-a-token' }).expect(200);
  });

  it.each([
    ['"Bearer" with no token', 'Bearer'],
    ['"Bearer " with a trailing space', 'Bearer '],
    ['two spaces before the token', 'Bearer  TOKEN'],
    ['two tokens', 'Bearer TOKEN TOKEN'],
  ])('answers %s with 400 invalid_request, never a 500', async (_, header) => {
    expectInvalidRequest(await getMe(testApp, header.replace(/TOKEN/g, token)));
  });
});

describe('bearer guard: the listings API behind it', () => {
  const testApp = useTestApp();

  it('creates a listing with a listings:write token, and GET returns it', async () => {
    const token = await accessToken(testApp);
    const created = await request(testApp.http)
      .post(LISTINGS)
      .set('Authorization', `Bearer ${token}`)
      .send({ title: 'Cabin by the lake', priceCents: 12_500 })
      .expect(201);
    expect(created.body).toMatchObject({ title: 'Cabin by the lake', priceCents: 12_500, ownerUserId: await testApp.userId('alice') });

    const list = await request(testApp.http).get(LISTINGS).set('Authorization', `Bearer ${token}`).expect(200);
    expect(list.body).toEqual([expect.objectContaining({ id: created.body.id, title: 'Cabin by the lake', priceCents: 12_500 })]);
  });

  it.each([
    ['without a title', { priceCents: 100 }],
    ['with an empty title', { title: '', priceCents: 100 }],
    ['with a price as a string', { title: 'Flat', priceCents: '100' }],
    ['with a negative price', { title: 'Flat', priceCents: -1 }],
    ['with a fractional price', { title: 'Flat', priceCents: 1.5 }],
    ['with an unknown field', { title: 'Flat', priceCents: 100, ownerUserId: 'someone-else' }],
  ])('answers a listing %s with 400 and stores nothing', async (_, body) => {
    const token = await accessToken(testApp);
    const before = await request(testApp.http).get(LISTINGS).set('Authorization', `Bearer ${token}`).expect(200);
    await request(testApp.http).post(LISTINGS).set('Authorization', `Bearer ${token}`).send(body).expect(400);
    const after = await request(testApp.http).get(LISTINGS).set('Authorization', `Bearer ${token}`).expect(200);
    expect(after.body).toEqual(before.body);
  });
});

// The sample app only puts @Scopes on handlers, so a probe controller shows handler-over-class.
@Controller('api/v1/scope-probe')
@UseGuards(BearerTokenGuard)
@Scopes('listings:write')
class ScopeProbeController {
  @Get('class-scopes')
  classScopes(): { ok: true } {
    return { ok: true };
  }

  @Get('handler-scopes')
  @Scopes('user:read')
  handlerScopes(): { ok: true } {
    return { ok: true };
  }

  @Post('handler-scopes')
  @Scopes('user:read')
  postHandlerScopes(): { ok: true } {
    return { ok: true };
  }
}

@Module({ controllers: [ScopeProbeController] })
class ScopeProbeModule {}

describe('bearer guard: @Scopes on a handler overrides the class', () => {
  const testApp = useTestApp({ imports: [ScopeProbeModule] });

  it('requires the class scopes on a handler without its own @Scopes', async () => {
    const readOnly = await accessToken(testApp, 'user:read');
    const refused = await request(testApp.http)
      .get('/api/v1/scope-probe/class-scopes')
      .set('Authorization', `Bearer ${readOnly}`)
      .expect(403);
    expect(parseChallenge(refused.headers['www-authenticate']).params).toMatchObject({
      error: 'insufficient_scope',
      scope: 'listings:write',
    });

    const writer = await accessToken(testApp, 'listings:write');
    await request(testApp.http).get('/api/v1/scope-probe/class-scopes').set('Authorization', `Bearer ${writer}`).expect(200);
  });

  it('requires only the handler’s scopes where the handler has @Scopes', async () => {
    const readOnly = await accessToken(testApp, 'user:read');
    await request(testApp.http).get('/api/v1/scope-probe/handler-scopes').set('Authorization', `Bearer ${readOnly}`).expect(200);

    const writer = await accessToken(testApp, 'listings:write');
    const refused = await request(testApp.http)
      .get('/api/v1/scope-probe/handler-scopes')
      .set('Authorization', `Bearer ${writer}`)
      .expect(403);
    expect(parseChallenge(refused.headers['www-authenticate']).params.scope).toBe('user:read');
  });

  it('accepts a token in a form-encoded POST body, and refuses one in a JSON body or a GET body (RFC 6750 §2.2)', async () => {
    const readOnly = await accessToken(testApp, 'user:read');
    const probe = '/api/v1/scope-probe/handler-scopes';
    await request(testApp.http).post(probe).type('form').send({ access_token: readOnly }).expect(201);
    expectInvalidRequest(await request(testApp.http).post(probe).send({ access_token: readOnly }));
    expectInvalidRequest(await request(testApp.http).get(probe).type('form').send({ access_token: readOnly }));
  });
});

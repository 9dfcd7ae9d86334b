import { SignJWT } from 'jose';
import request from 'supertest';
import { ClientsService, JWT_BEARER_GRANT_TYPE, WorkloadPrincipal } from '../../lib';
import { callMe } from './support/device-flow';
import { expectOAuthError } from './support/oauth-responses';
import { unsignedJwt } from './support/bearer';
import { bootTestApp, ISSUER, type TestApp, useTestApp } from './support/test-app';
import { DISCOVERY_PATH, WorkloadIssuer } from './support/workload-issuer';

/** GitHub Actions' subject of a job on the main branch, and of one on a pull request. */
const MAIN = 'repo:acme/app:ref:refs/heads/main';
const PULL_REQUEST = 'repo:acme/app:pull_request';
const DEPLOY_BOT = 'repo:acme/infra:environment:production';

const metadataOf = async (testApp: TestApp): Promise<Record<string, unknown>> =>
  (await request(testApp.http).get('/.well-known/oauth-authorization-server').expect(200)).body as Record<string, unknown>;

const exchange = (testApp: TestApp, assertion: string, form: Record<string, string> = {}) =>
  request(testApp.http)
    .post('/o/token/')
    .type('form')
    .send({ grant_type: JWT_BEARER_GRANT_TYPE, client_id: 'ci-deployer', assertion, ...form });

/** RFC 7523 §2.1: a CI job trades its ID token for an access token, with no secret stored anywhere. */
describe('workload identity: the JWT bearer grant (RFC 7523)', () => {
  let testApp: TestApp;
  const ci = new WorkloadIssuer(() => testApp.clock);
  const infra = new WorkloadIssuer(() => testApp.clock);
  /** Trusted, but its keys cannot be had: the JWKS address answers 404. */
  const down = new WorkloadIssuer(() => testApp.clock);
  /** Filled once the app knows alice's id; the CI issuer's subjects are a function reading it. */
  const bySubject: Record<string, WorkloadPrincipal> = {};

  beforeAll(async () => {
    await Promise.all([ci.start(), infra.start(), down.start()]);
    testApp = await bootTestApp({
      deviceAuth: {
        workloadIdentity: {
          issuers: [
            // Keys found through the issuer's discovery document; subjects mapped by a function of the claims.
            { issuer: ci.issuer, scopes: ['user:read', 'listings:read'], subjects: (claims) => bySubject[claims.sub] ?? null },
            // Keys at a named URL; subjects mapped by a table, here to an app acting for itself.
            {
              issuer: infra.issuer,
              audience: 'https://deploy.example',
              jwksUri: infra.jwksUri,
              subjects: { [DEPLOY_BOT]: { clientId: 'deploy-bot' } },
            },
            { issuer: down.issuer, jwksUri: `${down.issuer}/gone.json`, subjects: { [MAIN]: { clientId: 'ci-deployer' } } },
          ],
        },
      },
    });
    const alice = await testApp.userId('alice');
    bySubject[MAIN] = { userId: alice };
    bySubject[PULL_REQUEST] = { userId: alice, scopes: ['user:read'] };
    const clients = testApp.app.get(ClientsService);
    for (const clientId of ['ci-deployer', 'deploy-bot']) {
      await clients.register({
        clientId,
        name: clientId,
        type: 'public',
        mode: 'partner',
        grantTypes: [JWT_BEARER_GRANT_TYPE],
        scopes: ['user:read', 'listings:read'],
      });
    }
  });
  afterAll(async () => {
    await testApp.close();
    await Promise.all([ci.stop(), infra.stop(), down.stop()]);
  });

  it('lists the grant in the metadata', async () => {
    expect((await metadataOf(testApp)).grant_types_supported).toContain(JWT_BEARER_GRANT_TYPE);
  });

  it("answers a trusted issuer's ID token with an access token for the mapped user, and no refresh token", async () => {
    const response = await exchange(testApp, await ci.token(MAIN, ISSUER), { scope: 'user:read' }).expect(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600, scope: 'user:read' });
    const me = await callMe(testApp, response.body.access_token).expect(200);
    expect(me.body).toMatchObject({ username: 'alice', clientId: 'ci-deployer', scopes: ['user:read'] });
  });

  it('gives every scope the mapping and the app allow when the job asks for none', async () => {
    const { body } = await exchange(testApp, await ci.token(MAIN, ISSUER)).expect(200);
    expect(body.scope).toBe('user:read listings:read');
  });

  it('fetches the discovery document once and keeps the keys', async () => {
    for (let i = 0; i < 3; i++) await exchange(testApp, await ci.token(MAIN, ISSUER)).expect(200);
    expect(ci.server.requestsFor(DISCOVERY_PATH)).toBe(1);
  });

  it('refuses an ID token used a second time (its jti)', async () => {
    const assertion = await ci.token(MAIN, ISSUER);
    await exchange(testApp, assertion).expect(200);
    expectOAuthError(await exchange(testApp, assertion), 400, 'invalid_grant');
  });

  const refusals: [string, RegExp, () => Promise<string>][] = [
    ['another audience', /"aud"/, () => ci.token(MAIN, 'https://elsewhere.example')],
    [
      'an issuer it does not trust',
      /not issued by a trusted issuer/,
      () => ci.token(MAIN, ISSUER, { claims: { iss: 'https://token.actions.example.com' } }),
    ],
    [
      'another trusted issuer named in iss',
      /signature verification failed/,
      () => ci.token(DEPLOY_BOT, 'https://deploy.example', { claims: { iss: infra.issuer } }),
    ],
    ['an expired token', /"exp"/, () => ci.token(MAIN, ISSUER, { claims: { exp: Math.floor(testApp.clock.now() / 1000) - 120 } })],
    [
      'a token not valid yet (nbf)',
      /"nbf"/,
      () => ci.token(MAIN, ISSUER, { claims: { nbf: Math.floor(testApp.clock.now() / 1000) + 600 } }),
    ],
    [
      'a token issued in the future',
      /issued in the future/,
      () => ci.token(MAIN, ISSUER, { claims: { iat: Math.floor(testApp.clock.now() / 1000) + 600 } }),
    ],
    ['no jti', /no jti/, () => ci.token(MAIN, ISSUER, { claims: { jti: undefined } })],
    [
      'alg none',
      /"alg"/,
      async () =>
        unsignedJwt({ typ: 'JWT' }, { iss: ci.issuer, sub: MAIN, aud: ISSUER, exp: Math.floor(testApp.clock.now() / 1000) + 300 }),
    ],
    [
      'HS256 (a shared secret)',
      /"alg"/,
      () =>
        new SignJWT({ iss: ci.issuer, sub: MAIN, aud: ISSUER, jti: 'hs', exp: Math.floor(testApp.clock.now() / 1000) + 300 })
          .setProtectedHeader({ alg: 'HS256', kid: 'ci-key-1' })
          .sign(new TextEncoder().encode('a secret anyone with the JWKS might guess')),
    ],
    [
      'a key the issuer does not publish (unknown kid)',
      /no applicable key/,
      () => ci.token(MAIN, ISSUER, { key: 'unpublished', header: { kid: 'ci-key-2' } }),
    ],
    ['a forged signature under a published kid', /signature verification failed/, () => ci.token(MAIN, ISSUER, { key: 'unpublished' })],
    ['a subject mapped to nobody', /not mapped to a user or app/, () => ci.token('repo:acme/app:ref:refs/heads/feature', ISSUER)],
    ['no JWT at all', /not a JWT/, async () => 'not-a-jwt'],
  ];
  it.each(refusals)('refuses %s with invalid_grant (RFC 7523 §3.1)', async (_case, reason, assertion) => {
    const response = await exchange(testApp, await assertion());
    expectOAuthError(response, 400, 'invalid_grant');
    expect(response.body.error_description).toMatch(reason);
  });

  it("refuses scopes beyond the subject's mapping with invalid_scope", async () => {
    expectOAuthError(await exchange(testApp, await ci.token(PULL_REQUEST, ISSUER), { scope: 'listings:read' }), 400, 'invalid_scope');
    await exchange(testApp, await ci.token(PULL_REQUEST, ISSUER), { scope: 'user:read' }).expect(200);
  });

  it('gives an app its own token when the subject maps to it, and only to that app', async () => {
    const assertion = () => infra.token(DEPLOY_BOT, 'https://deploy.example');
    const { body } = await exchange(testApp, await assertion(), { client_id: 'deploy-bot', scope: 'listings:read' }).expect(200);
    const who = await request(testApp.http).get('/api/v1/token').set('Authorization', `Bearer ${body.access_token}`).expect(200);
    expect(who.body).toMatchObject({ clientId: 'deploy-bot', userId: null, scopes: ['listings:read'] });
    expectOAuthError(await exchange(testApp, await assertion()), 400, 'unauthorized_client');
  });

  it("answers 503 temporarily_unavailable while an issuer's keys cannot be fetched: the assertion may be fine", async () => {
    const response = await exchange(testApp, await down.token(MAIN, ISSUER));
    expectOAuthError(response, 503, 'temporarily_unavailable');
    expect(response.headers['retry-after']).toBe('5');
  });

  it('refuses an app not registered for the grant with unauthorized_client', async () => {
    expectOAuthError(await exchange(testApp, await ci.token(MAIN, ISSUER), { client_id: 'sample-cli' }), 400, 'unauthorized_client');
  });
});

describe('workload identity without workloadIdentity', () => {
  const testApp = useTestApp();

  it('is not offered: absent from the metadata, and unsupported_grant_type at the token endpoint', async () => {
    expect((await metadataOf(testApp)).grant_types_supported).not.toContain(JWT_BEARER_GRANT_TYPE);
    expectOAuthError(await exchange(testApp, 'eyJ.e30.'), 400, 'unsupported_grant_type');
    await expect(
      testApp.app
        .get(ClientsService)
        .register({ name: 'CI', type: 'public', mode: 'partner', grantTypes: [JWT_BEARER_GRANT_TYPE], scopes: [] }),
    ).rejects.toThrow(/not offered by this server/);
  });
});

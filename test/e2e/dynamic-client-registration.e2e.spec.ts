import request from 'supertest';
import { DeviceAuthEventMap, DeviceAuthEvents } from '../../lib';
import { codeFlowLogin, LOOPBACK_CALLBACK } from './support/code-flow';
import { callMe, DEVICE_GRANT, deviceLogin, refresh } from './support/device-flow';
import { expectOAuthError } from './support/oauth-responses';
import { ISSUER, TestApp, useTestApp } from './support/test-app';

const PATH = '/o/register/';
const INITIAL_ACCESS_TOKEN = 'iat-handed-out-by-the-host-0123456789';

/** RFC 7591 §3.1: client metadata as a JSON body, with the initial access token when one is given. */
function registration(testApp: TestApp, metadata: unknown, initialAccessToken?: string): request.Test {
  const test = request(testApp.http).post(PATH).set('Content-Type', 'application/json');
  if (initialAccessToken !== undefined) test.set('Authorization', `Bearer ${initialAccessToken}`);
  return test.send(JSON.stringify(metadata));
}

const metadataDocument = async (testApp: TestApp): Promise<Record<string, unknown>> =>
  (await request(testApp.http).get('/.well-known/oauth-authorization-server').expect(200)).body;

/** What an agent sends to use the device flow with refresh tokens. */
const DEVICE_APP = { client_name: 'Acme agent', grant_types: [DEVICE_GRANT, 'refresh_token'], scope: 'user:read' };

describe('dynamic client registration (RFC 7591)', () => {
  describe('off (the default)', () => {
    const testApp = useTestApp();

    it('has no endpoint, and the metadata names none', async () => {
      const response = await registration(testApp, DEVICE_APP);
      expect(response.status).toBe(404);
      expect(await metadataDocument(testApp)).not.toHaveProperty('registration_endpoint');
    });
  });

  describe('open', () => {
    const testApp = useTestApp({
      deviceAuth: {
        dynamicRegistration: { scopes: ['user:read', 'listings:read', 'openid'] },
        // These tests send more than an hour's allowance from one address; the limit has its own tests below.
        rateLimits: { registrationsPerIp: false },
      },
    });

    it('is listed in the metadata as registration_endpoint', async () => {
      expect(await metadataDocument(testApp)).toMatchObject({ registration_endpoint: `${ISSUER}${PATH}` });
    });

    it('registers a public app that signs in with the device flow and refreshes, and tells the host who registered it', async () => {
      const registered: DeviceAuthEventMap['client.registered'][] = [];
      const unsubscribe = testApp.app.get(DeviceAuthEvents).on('client.registered', (event) => void registered.push(event));
      const response = await registration(testApp, { ...DEVICE_APP, logo_uri: 'https://acme.example/logo.png' }).expect(201);
      unsubscribe();

      expect(response.headers['cache-control']).toBe('no-store');
      const clientId = response.body.client_id as string;
      expect(response.body).toEqual({
        client_id: expect.stringMatching(/^[A-Za-z0-9]{24}$/),
        client_id_issued_at: Math.floor(testApp.clock.now() / 1000),
        client_name: 'Acme agent',
        redirect_uris: [],
        grant_types: [DEVICE_GRANT, 'refresh_token'],
        response_types: [],
        token_endpoint_auth_method: 'none',
        scope: 'user:read',
      });
      expect(registered).toEqual([{ clientId, name: 'Acme agent', ip: '127.0.0.1' }]);

      const tokens = await deviceLogin(testApp, 'alice', clientId);
      expect(tokens.scope).toBe('user:read');
      await callMe(testApp, tokens.access_token).expect(200);
      await refresh(testApp, tokens.refresh_token, clientId).expect(200);
    });

    it('registers an app for the code flow with PKCE, back to its loopback redirect URI on any port', async () => {
      const response = await registration(testApp, {
        client_name: 'Acme desktop',
        redirect_uris: [LOOPBACK_CALLBACK],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
      }).expect(201);
      expect(response.body).toMatchObject({ response_types: ['code'], scope: 'user:read listings:read openid' });

      const tokens = await codeFlowLogin(testApp, 'bob', { client_id: response.body.client_id, scope: 'user:read openid' });
      expect(tokens.id_token).toBeDefined();
      await callMe(testApp, tokens.access_token).expect(200);
    });

    it('asks for the code grant when no grant type is named (RFC 7591 §2), which needs a redirect URI', async () => {
      const response = await registration(testApp, { client_name: 'Defaults', redirect_uris: ['https://app.example/cb'] }).expect(201);
      expect(response.body).toMatchObject({ grant_types: ['authorization_code'], response_types: ['code'] });
      expectOAuthError(await registration(testApp, { client_name: 'No redirect' }), 400, 'invalid_redirect_uri');
    });

    it.each([
      ['http on a public host', 'http://app.example/cb'],
      ['a fragment', 'https://app.example/cb#token'],
      ['localhost (RFC 8252 §8.3)', 'http://localhost:8080/cb'],
      ['a relative URL', '/cb'],
    ])('refuses a redirect URI with %s: invalid_redirect_uri', async (_label, uri) => {
      const response = await registration(testApp, { client_name: 'Bad redirect', redirect_uris: [uri] });
      expectOAuthError(response, 400, 'invalid_redirect_uri');
    });

    it.each<[string, Record<string, unknown>]>([
      ['a confidential auth method', { token_endpoint_auth_method: 'client_secret_basic' }],
      ['client_credentials (a public app has no secret)', { grant_types: ['client_credentials'] }],
      ['an unknown grant type', { grant_types: ['password'] }],
      ['no grant type at all', { grant_types: [] }],
      ['the implicit response type', { response_types: ['token'] }],
      ['response_types of the code flow without its grant', { response_types: ['code'] }],
      ['a scope outside those registration allows', { scope: 'user:read listings:write' }],
      ['a scope the server does not have', { scope: 'admin' }],
      ['no name', { client_name: undefined }],
      ['a blank name', { client_name: '  ' }],
      ['a name with a control character', { client_name: 'Acme\nAdmin' }],
      ['a 10 KB name', { client_name: 'x'.repeat(10 * 1024) }],
      ['a list where the name belongs', { client_name: ['Acme'] }],
      ['a string where the grant types belong', { grant_types: DEVICE_GRANT }],
    ])('refuses %s: invalid_client_metadata', async (_label, change) => {
      const response = await registration(testApp, { ...DEVICE_APP, ...change });
      expectOAuthError(response, 400, 'invalid_client_metadata');
    });

    it.each<[string, (testApp: TestApp) => request.Test]>([
      ['malformed JSON', (app) => request(app.http).post(PATH).set('Content-Type', 'application/json').send('{"client_name":')],
      ['a form body', (app) => request(app.http).post(PATH).type('form').send(DEVICE_APP)],
      [
        'no content type',
        (app) =>
          request(app.http)
            .post(PATH)
            .send(Buffer.from(JSON.stringify(DEVICE_APP))),
      ],
      ['a JSON list', (app) => registration(app, [DEVICE_APP])],
      ['JSON null', (app) => registration(app, null)],
      ['a body over 100 KB', (app) => registration(app, { ...DEVICE_APP, padding: 'x'.repeat(101 * 1024) })],
    ])('answers %s with an RFC 7591 error, never a 500', async (_label, call) => {
      const response = await call(testApp);
      expect([400, 413]).toContain(response.status);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.body).toEqual({ error: 'invalid_request', error_description: expect.any(String) });
    });
  });

  describe('with an initial access token', () => {
    const testApp = useTestApp({ deviceAuth: { dynamicRegistration: { initialAccessToken: INITIAL_ACCESS_TOKEN } } });

    it('refuses a request without it: 401 and a Bearer challenge naming no error (RFC 6750 §3.1)', async () => {
      const response = await registration(testApp, DEVICE_APP);
      expectOAuthError(response, 401, 'invalid_token');
      expect(response.headers['www-authenticate']).toBe(`Bearer realm="${ISSUER}"`);
    });

    it('refuses a wrong token: 401 invalid_token', async () => {
      const response = await registration(testApp, DEVICE_APP, `${INITIAL_ACCESS_TOKEN}x`);
      expectOAuthError(response, 401, 'invalid_token');
      expect(response.headers['www-authenticate']).toBe(`Bearer realm="${ISSUER}", error="invalid_token"`);
    });

    it('refuses a malformed Authorization header: 400 invalid_request', async () => {
      const response = await request(testApp.http)
        .post(PATH)
        .set('Authorization', `Bearer ${INITIAL_ACCESS_TOKEN} ${INITIAL_ACCESS_TOKEN}`)
        .send(DEVICE_APP);
      expectOAuthError(response, 400, 'invalid_request');
    });

    it('registers with the right token', async () => {
      const response = await registration(testApp, DEVICE_APP, INITIAL_ACCESS_TOKEN).expect(201);
      expect(response.body.scope).toBe('user:read');
    });
  });

  describe('with an initial access token the host checks itself', () => {
    const presented: string[] = [];
    const testApp = useTestApp({
      deviceAuth: {
        dynamicRegistration: {
          initialAccessToken: (token) => {
            presented.push(token);
            return token === 'team-invite-7';
          },
        },
      },
    });

    it('asks the function about each presented token', async () => {
      expectOAuthError(await registration(testApp, DEVICE_APP, 'team-invite-6'), 401, 'invalid_token');
      await registration(testApp, DEVICE_APP, 'team-invite-7').expect(201);
      expect(presented).toEqual(['team-invite-6', 'team-invite-7']);
    });
  });

  describe('limited per IP address', () => {
    const testApp = useTestApp({
      deviceAuth: {
        dynamicRegistration: { initialAccessToken: INITIAL_ACCESS_TOKEN },
        rateLimits: { registrationsPerIp: { limit: 3, windowSeconds: 3600 } },
      },
    });

    it('answers 429 with Retry-After past the limit, counting refused attempts too, for one window', async () => {
      await registration(testApp, DEVICE_APP, INITIAL_ACCESS_TOKEN).expect(201);
      // A guess at the initial access token uses up the allowance like a registration.
      expectOAuthError(await registration(testApp, DEVICE_APP, 'a-guess-at-the-token'), 401, 'invalid_token');
      testApp.clock.advance(600);
      await registration(testApp, DEVICE_APP, INITIAL_ACCESS_TOKEN).expect(201);

      const limited = await registration(testApp, DEVICE_APP, INITIAL_ACCESS_TOKEN);
      expectOAuthError(limited, 429, 'slow_down');
      expect(limited.headers['retry-after']).toBe('3600');
      testApp.clock.advance(3599);
      expectOAuthError(await registration(testApp, DEVICE_APP, INITIAL_ACCESS_TOKEN), 429, 'slow_down');

      testApp.clock.advance(1);
      await registration(testApp, DEVICE_APP, INITIAL_ACCESS_TOKEN).expect(201);
    });
  });
});

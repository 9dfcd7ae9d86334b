import { decodeJwt } from 'jose';
import request from 'supertest';
import { ClientsService, DeviceAuthEventMap, DeviceAuthEvents } from '../../lib';
import { callMe, decideInBrowser, DEVICE_GRANT, DeviceStart, signedInBrowser } from './support/device-flow';
import { basicAuth, expectOAuthError } from './support/oauth-responses';
import { ISSUER, useTestApp } from './support/test-app';
import { present } from './support/present';

const CLIENT_CREDENTIALS = 'client_credentials';

/** RFC 6749 §4.4: confidential apps getting tokens for themselves, or for a user who approved them. */
describe('POST /o/token/ grant_type=client_credentials', () => {
  const testApp = useTestApp();
  const secrets: Record<string, string> = {};
  const issued: DeviceAuthEventMap['tokens.issued'][] = [];

  beforeAll(async () => {
    const clients = testApp.app.get(ClientsService);
    const register = async (clientId: string, extra: Partial<Parameters<ClientsService['register']>[0]> = {}) => {
      const { clientSecret } = await clients.register({
        clientId,
        name: clientId,
        type: 'confidential',
        mode: 'partner',
        grantTypes: [CLIENT_CREDENTIALS],
        scopes: ['user:read', 'listings:read'],
        ...extra,
      });
      secrets[clientId] = present(clientSecret, 'a client secret');
    };
    await register('ci-bot', { accessTokenTtl: 600 });
    await register('guessed-bot');
    await register('partner-bot', { grantTypes: [CLIENT_CREDENTIALS, DEVICE_GRANT, 'refresh_token'] });
    testApp.app.get(DeviceAuthEvents).on('tokens.issued', (event) => void issued.push(event));
  });

  const token = (form: Record<string, string>, clientId = 'ci-bot') =>
    request(testApp.http)
      .post('/o/token/')
      .type('form')
      .set('Authorization', basicAuth(clientId, secrets[clientId]))
      .send({ grant_type: CLIENT_CREDENTIALS, ...form });
  const tokenInfo = (accessToken: string) => request(testApp.http).get('/api/v1/token').set('Authorization', `Bearer ${accessToken}`);

  describe('an app acting for itself', () => {
    it('answers client_secret_basic with an access token only, the app’s scopes and its own lifetime', async () => {
      const response = await token({}).expect(200);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.body).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 600,
        scope: 'user:read listings:read',
      });
    });

    it('accepts client_secret_post, and narrows to the requested scopes', async () => {
      const response = await request(testApp.http)
        .post('/o/token/')
        .type('form')
        .send({ grant_type: CLIENT_CREDENTIALS, client_id: 'ci-bot', client_secret: secrets['ci-bot'], scope: 'listings:read' })
        .expect(200);
      expect(response.body.scope).toBe('listings:read');
    });

    it('refuses scopes beyond the app’s (invalid_scope) and a wrong secret (401 invalid_client with a Basic challenge)', async () => {
      expectOAuthError(await token({ scope: 'listings:write' }), 400, 'invalid_scope');
      const wrong = await request(testApp.http)
        .post('/o/token/')
        .type('form')
        .set('Authorization', basicAuth('ci-bot', 'not-the-secret'))
        .send({ grant_type: CLIENT_CREDENTIALS });
      expectOAuthError(wrong, 401, 'invalid_client');
      expect(wrong.headers['www-authenticate']).toMatch(/^Basic /);
    });

    it('refuses a public app (unauthorized_client) and a confidential app not registered for the grant', async () => {
      const publicApp = await request(testApp.http)
        .post('/o/token/')
        .type('form')
        .send({ grant_type: CLIENT_CREDENTIALS, client_id: 'team-cli' });
      expectOAuthError(publicApp, 400, 'unauthorized_client');
      await testApp.app
        .get(ClientsService)
        .register({
          clientId: 'device-only',
          name: 'Device only',
          type: 'confidential',
          mode: 'partner',
          grantTypes: [DEVICE_GRANT],
          scopes: ['user:read'],
        })
        .then(({ clientSecret }) => (secrets['device-only'] = present(clientSecret, 'a client secret')));
      expectOAuthError(await token({}, 'device-only'), 400, 'unauthorized_client');
    });

    it('mints a JWT whose sub names the app, never a user, with no user claims (RFC 9068 §5)', async () => {
      const claims = decodeJwt((await token({}).expect(200)).body.access_token);
      expect(claims).toMatchObject({ iss: ISSUER, sub: 'client:ci-bot', client_id: 'ci-bot', scope: 'user:read listings:read' });
      expect((claims.exp as number) - (claims.iat as number)).toBe(600);
      await new Promise(setImmediate);
      expect(issued).toContainEqual(expect.objectContaining({ clientId: 'ci-bot', userId: null, grantType: CLIENT_CREDENTIALS }));
    });

    it('opens routes marked @AllowAppTokens() to the app, and keeps user routes closed (403 insufficient_scope)', async () => {
      const { access_token } = (await token({}).expect(200)).body;
      const info = await tokenInfo(access_token).expect(200);
      expect(info.body).toMatchObject({
        subjectKind: 'app',
        userId: null,
        clientId: 'ci-bot',
        tokenKind: 'jwt',
        scopes: ['user:read', 'listings:read'],
      });
      const me = await callMe(testApp, access_token).expect(403);
      expect(me.headers['www-authenticate']).toMatch(/^Bearer realm="[^"]+", error="insufficient_scope"/);
      await request(testApp.http).get('/api/v1/listings').set('Authorization', `Bearer ${access_token}`).expect(403);
    });

    it('introspects as the app and revokes like any other token', async () => {
      const { access_token } = (await token({}).expect(200)).body;
      const introspected = await request(testApp.http)
        .post('/o/introspect/')
        .type('form')
        .set('Authorization', basicAuth('ci-bot', secrets['ci-bot']))
        .send({ token: access_token })
        .expect(200);
      expect(introspected.body).toMatchObject({ active: true, sub: 'client:ci-bot', client_id: 'ci-bot', token_type: 'Bearer' });
      await request(testApp.http)
        .post('/o/revoke/')
        .type('form')
        .set('Authorization', basicAuth('ci-bot', secrets['ci-bot']))
        .send({ token: access_token })
        .expect(200);
      await tokenInfo(access_token).expect(401);
    });

    it('cannot manage personal access tokens, having no user', async () => {
      const { access_token } = (await token({}).expect(200)).body;
      await request(testApp.http).get('/o/personal-access-tokens').set('Authorization', `Bearer ${access_token}`).expect(403);
    });
  });

  describe('wrong secrets', () => {
    it('are counted per client: past 10, even the right secret is refused with 429 until the window ends', async () => {
      const wrong = () =>
        request(testApp.http)
          .post('/o/token/')
          .type('form')
          .set('Authorization', basicAuth('guessed-bot', 'guess'))
          .send({ grant_type: CLIENT_CREDENTIALS });
      for (let attempt = 0; attempt < 10; attempt++) expectOAuthError(await wrong(), 401, 'invalid_client');
      const limited = await token({}, 'guessed-bot');
      expectOAuthError(limited, 429, 'slow_down');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      await token({}, 'ci-bot').expect(200); // another client is not affected
      testApp.clock.advance(Number(limited.headers['retry-after']));
      await token({}, 'guessed-bot').expect(200);
    });
  });

  describe('a partner app acting for a user (user_id)', () => {
    /** Bob signs partner-bot in through the device flow, the prior approval delegation needs. */
    async function bobApproves(scope: string): Promise<{ refresh_token: string }> {
      const auth = basicAuth('partner-bot', secrets['partner-bot']);
      const start = (
        await request(testApp.http).post('/o/device-authorization/').type('form').set('Authorization', auth).send({ scope }).expect(200)
      ).body as DeviceStart;
      await decideInBrowser(await signedInBrowser(testApp, 'bob'), start.user_code, 'approve');
      return (
        await request(testApp.http)
          .post('/o/token/')
          .type('form')
          .set('Authorization', auth)
          .send({ grant_type: DEVICE_GRANT, device_code: start.device_code })
          .expect(200)
      ).body;
    }

    it('refuses a user who never approved the app (invalid_grant)', async () => {
      expectOAuthError(await token({ user_id: await testApp.userId('alice') }, 'partner-bot'), 400, 'invalid_grant');
    });

    it('issues a token bound to the user and to the approval: within its scopes, and revoked with it', async () => {
      const bob = await testApp.userId('bob');
      const approval = await bobApproves('user:read');
      const delegated = await token({ user_id: bob }, 'partner-bot').expect(200);
      expect(delegated.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600, scope: 'user:read' });
      expect(decodeJwt(delegated.body.access_token)).toMatchObject({ sub: bob, client_id: 'partner-bot' });
      expect((await callMe(testApp, delegated.body.access_token).expect(200)).body.username).toBe('bob');
      expectOAuthError(await token({ user_id: bob, scope: 'listings:read' }, 'partner-bot'), 400, 'invalid_scope');

      await request(testApp.http)
        .post('/o/revoke/')
        .type('form')
        .set('Authorization', basicAuth('partner-bot', secrets['partner-bot']))
        .send({ token: approval.refresh_token })
        .expect(200);
      await callMe(testApp, delegated.body.access_token).expect(401);
      expectOAuthError(await token({ user_id: bob }, 'partner-bot'), 400, 'invalid_grant');
    });
  });
});

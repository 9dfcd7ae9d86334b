import { createHash } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import request from 'supertest';
import { ClientsService } from '../../lib';
import { codeFlowLogin } from './support/code-flow';
import { deviceLogin } from './support/device-flow';
import { basicAuth } from './support/oauth-responses';
import { ISSUER, useTestApp } from './support/test-app';
import { present } from './support/present';

/** OIDC Core §3.1.3.6, computed here independently of the server: the left half of SHA-256, base64url. */
const atHash = (accessToken: string) => createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url');

describe('OpenID Connect sign-in (the openid scope)', () => {
  const testApp = useTestApp();
  const jwks = async () => createLocalJWKSet((await request(testApp.http).get('/.well-known/jwks.json').expect(200)).body);
  const userinfo = (accessToken: string) => request(testApp.http).get('/o/userinfo/').set('Authorization', `Bearer ${accessToken}`);

  describe('ID tokens', () => {
    it('come with a code-flow sign-in: signed with the JWKS keys, for the app, echoing the nonce, with at_hash and auth_time', async () => {
      const approvedAt = Math.floor(testApp.clock.now() / 1000);
      const tokens = await codeFlowLogin(testApp, 'alice', { scope: 'openid profile', nonce: 'n-0S6_WzA2Mj' });
      const { payload, protectedHeader } = await jwtVerify(present(tokens.id_token, 'an ID token'), await jwks(), {
        issuer: ISSUER,
        audience: 'sample-cli',
        currentDate: new Date(testApp.clock.now()),
      });
      expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'JWT' });
      expect(payload).toMatchObject({
        sub: await testApp.userId('alice'),
        nonce: 'n-0S6_WzA2Mj',
        auth_time: approvedAt,
        at_hash: atHash(tokens.access_token),
      });
      expect(present(payload.exp, 'exp') - present(payload.iat, 'iat')).toBe(3600);
    });

    it('come with a device-flow sign-in too, without a nonce', async () => {
      const tokens = (await deviceLogin(testApp, 'bob', 'team-cli', 'openid user:read')) as Awaited<ReturnType<typeof deviceLogin>> & {
        id_token?: string;
      };
      const claims = decodeJwt(present(tokens.id_token, 'an ID token'));
      expect(claims).toMatchObject({
        iss: ISSUER,
        sub: await testApp.userId('bob'),
        aud: 'team-cli',
        at_hash: atHash(tokens.access_token),
      });
      expect(claims.nonce).toBeUndefined();
      expect(typeof claims.auth_time).toBe('number');
    });

    it('are absent when openid was not granted', async () => {
      expect((await codeFlowLogin(testApp, 'alice', { scope: 'user:read' })).id_token).toBeUndefined();
    });
  });

  describe('the userinfo endpoint', () => {
    it('answers the claims resolveClaims gives for the granted scopes, always with sub', async () => {
      const alice = await testApp.userId('alice');
      const profile = await codeFlowLogin(testApp, 'alice', { scope: 'openid profile' });
      const answer = await userinfo(profile.access_token).expect(200);
      expect(answer.headers['cache-control']).toBe('no-store');
      expect(answer.body).toEqual({ sub: alice, name: 'Alice', preferred_username: 'alice' });
      const email = await codeFlowLogin(testApp, 'alice', { scope: 'openid email' });
      expect((await userinfo(email.access_token).expect(200)).body).toEqual({
        sub: alice,
        email: 'alice@example.com',
        email_verified: true,
      });
    });

    it('accepts the token in a form POST too (OIDC Core §5.3.1)', async () => {
      const tokens = await codeFlowLogin(testApp, 'alice', { scope: 'openid' });
      const answer = await request(testApp.http).post('/o/userinfo/').type('form').send({ access_token: tokens.access_token }).expect(200);
      expect(answer.body).toEqual({ sub: await testApp.userId('alice') });
    });

    it('refuses a token without openid (403 insufficient_scope), an app’s own token, and no token (401)', async () => {
      const withoutOpenId = await codeFlowLogin(testApp, 'alice', { scope: 'user:read' });
      const refused = await userinfo(withoutOpenId.access_token).expect(403);
      expect(refused.headers['www-authenticate']).toMatch(/error="insufficient_scope".*, scope="openid"(,|$)/);

      const { clientSecret } = await testApp.app.get(ClientsService).register({
        clientId: 'oidc-bot',
        name: 'OIDC bot',
        type: 'confidential',
        mode: 'partner',
        grantTypes: ['client_credentials'],
        scopes: ['openid'],
      });
      const appToken = await request(testApp.http)
        .post('/o/token/')
        .type('form')
        .set('Authorization', basicAuth('oidc-bot', present(clientSecret, 'the secret of oidc-bot')))
        .send({ grant_type: 'client_credentials' })
        .expect(200);
      await userinfo(appToken.body.access_token).expect(403);
      await request(testApp.http).get('/o/userinfo/').expect(401);
    });
  });

  describe('discovery', () => {
    it('serves /.well-known/openid-configuration, agreeing with the RFC 8414 document on every shared field', async () => {
      const oidc = (await request(testApp.http).get('/.well-known/openid-configuration').expect(200)).body;
      const oauth = (await request(testApp.http).get('/.well-known/oauth-authorization-server').expect(200)).body;
      for (const field of Object.keys(oauth).filter((name) => name in oidc)) expect([field, oidc[field]]).toEqual([field, oauth[field]]);
      expect(oidc).toMatchObject({
        issuer: ISSUER,
        userinfo_endpoint: `${ISSUER}/o/userinfo/`,
        id_token_signing_alg_values_supported: ['ES256'],
        subject_types_supported: ['public'],
        response_types_supported: ['code'],
      });
      expect(oidc.claims_supported).toEqual(
        expect.arrayContaining(['sub', 'auth_time', 'nonce', 'at_hash', 'name', 'preferred_username', 'email']),
      );
    });
  });
});

describe('OpenID Connect with refreshToken.requireOfflineAccess', () => {
  const testApp = useTestApp({ deviceAuth: { refreshToken: { requireOfflineAccess: true } } });

  it('issues a refresh token only when offline_access was granted (OIDC Core §11)', async () => {
    expect((await codeFlowLogin(testApp, 'alice', { scope: 'openid user:read' })).refresh_token).toBeUndefined();
    expect((await codeFlowLogin(testApp, 'alice', { scope: 'openid offline_access' })).refresh_token).toMatch(/^brt_/);
  });
});

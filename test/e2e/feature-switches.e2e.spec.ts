import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ClientsService, PersonalAccessToken, PersonalAccessTokensService } from '../../lib';
import { sha256Hex } from '../../lib/tokens/hashing';
import { generateToken } from '../../lib/tokens/random-token';
import { AUTHORIZE_PATH, authorizeQuery, pkce } from './support/code-flow';
import { deviceLogin, signedInBrowser } from './support/device-flow';
import { expectOAuthError } from './support/oauth-responses';
import { useTestApp } from './support/test-app';
import { headingOf } from './support/verification-page';

describe('personalAccessTokens: false', () => {
  const testApp = useTestApp({ deviceAuth: { personalAccessTokens: false } });

  it('closes the PAT API and the API tokens page (404), for signed-in users and bearer tokens alike', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    await alice.get('/o/personal-access-tokens').expect(404);
    await alice
      .post('/o/personal-access-tokens')
      .send({ name: 'x', scopes: ['user:read'] })
      .expect(404);
    await alice.get('/settings/tokens').expect(404);
    const { access_token } = await deviceLogin(testApp, 'alice', 'sample-cli', 'tokens:manage');
    await request(testApp.http).get('/o/personal-access-tokens').set('Authorization', `Bearer ${access_token}`).expect(404);
  });

  it('refuses host code that creates one, and the guard refuses a well-formed PAT even with a stored row', async () => {
    const userId = await testApp.userId('alice');
    await expect(testApp.app.get(PersonalAccessTokensService).create({ userId, name: 'x', scopes: ['user:read'] })).rejects.toThrow(
      /turned off/,
    );
    const token = generateToken('bpat_');
    const now = testApp.clock.now();
    await testApp.app
      .get(DataSource)
      .getRepository(PersonalAccessToken)
      .insert({
        id: randomUUID(),
        tokenHash: sha256Hex(token),
        displayHint: 'bpat_…',
        userId,
        clientId: null,
        name: 'planted',
        scope: 'user:read',
        createdAt: now,
        expiresAt: now + 3600_000,
        lastUsedAt: null,
        lastUsedIp: null,
        revokedAt: null,
      });
    const refused = await request(testApp.http).get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(401);
    expect(refused.headers['www-authenticate']).toContain('error="invalid_token"');
  });
});

describe('grantTypes: only the device flow and refresh', () => {
  const testApp = useTestApp({ deviceAuth: { grantTypes: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'] } });

  it('lists exactly those grants in the metadata, and no authorization endpoint', async () => {
    const { body } = await request(testApp.http).get('/.well-known/oauth-authorization-server').expect(200);
    expect(body.grant_types_supported).toEqual(['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token']);
    expect(body.response_types_supported).toEqual([]);
    for (const absent of ['authorization_endpoint', 'code_challenge_methods_supported', 'authorization_response_iss_parameter_supported'])
      expect(body).not.toHaveProperty(absent);
    expect(body.device_authorization_endpoint).toBeDefined();
  });

  it('refuses the others at the token endpoint (unsupported_grant_type), at the authorize page, and at registration', async () => {
    const response = await request(testApp.http)
      .post('/o/token/')
      .type('form')
      .send({ grant_type: 'authorization_code', client_id: 'sample-cli', code: 'x' });
    expectOAuthError(response, 400, 'unsupported_grant_type');
    const page = await (await signedInBrowser(testApp, 'alice')).get(AUTHORIZE_PATH).query(authorizeQuery(pkce().challenge)).expect(400);
    expect(headingOf(page.text)).toBe('Sign-in cannot continue');
    await expect(
      testApp.app.get(ClientsService).register({
        name: 'Bot',
        type: 'confidential',
        mode: 'partner',
        grantTypes: ['client_credentials'],
        scopes: ['user:read'],
      }),
    ).rejects.toThrow(/not offered by this server/);
  });

  it('still runs the device flow with refresh tokens', async () => {
    expect((await deviceLogin(testApp, 'alice', 'sample-cli', 'user:read')).refresh_token).toMatch(/^brt_/);
  });
});

describe('grantTypes without the device grant', () => {
  const testApp = useTestApp({ deviceAuth: { grantTypes: ['authorization_code', 'refresh_token'] } });

  it('leaves the device endpoint out of the metadata and refuses it', async () => {
    const { body } = await request(testApp.http).get('/.well-known/oauth-authorization-server').expect(200);
    expect(body).not.toHaveProperty('device_authorization_endpoint');
    expectOAuthError(
      await request(testApp.http).post('/o/device-authorization/').type('form').send({ client_id: 'sample-cli' }),
      400,
      'unsupported_grant_type',
    );
  });
});

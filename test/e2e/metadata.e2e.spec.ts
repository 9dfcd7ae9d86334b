import { createLocalJWKSet, jwtVerify } from 'jose';
import request from 'supertest';
import { deviceLogin } from './support/device-flow';
import { bootTestApp, ISSUER, TestApp } from './support/test-app';

describe('discovery: RFC 8414 metadata and the JWK Set', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await bootTestApp();
  });
  afterAll(() => testApp.close());

  it('publishes the issuer and every endpoint a device client needs', async () => {
    const { body } = await request(testApp.http).get('/.well-known/oauth-authorization-server').expect(200);
    expect(body).toMatchObject({
      issuer: ISSUER,
      authorization_endpoint: `${ISSUER}/o/authorize/`,
      token_endpoint: `${ISSUER}/o/token/`,
      device_authorization_endpoint: `${ISSUER}/o/device-authorization/`,
      jwks_uri: `${ISSUER}/.well-known/jwks.json`,
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: expect.arrayContaining(['none', 'client_secret_basic', 'client_secret_post']),
    });
    expect(body.grant_types_supported.sort()).toEqual([
      'authorization_code',
      'client_credentials',
      'refresh_token',
      'urn:ietf:params:oauth:grant-type:device_code',
    ]);
    expect(body).toMatchObject({
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      authorization_response_iss_parameter_supported: true,
    });
    expect(body.scopes_supported).toEqual([
      'user:read',
      'listings:read',
      'listings:write',
      'tokens:manage',
      'openid',
      'profile',
      'email',
      'offline_access',
    ]);
  });

  it('publishes public keys only, with which a resource server can verify our access tokens', async () => {
    const { body: jwks } = await request(testApp.http).get('/.well-known/jwks.json').expect(200);
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const key of jwks.keys) {
      expect(key.d).toBeUndefined();
      expect(key.kid).toEqual(expect.any(String));
    }
    const { access_token } = await deviceLogin(testApp, 'alice');
    const { payload, protectedHeader } = await jwtVerify(access_token, createLocalJWKSet(jwks), {
      issuer: ISSUER,
      audience: ISSUER,
      typ: 'at+jwt',
      currentDate: new Date(testApp.clock.now()),
    });
    expect(protectedHeader.kid).toBe(jwks.keys[0].kid);
    expect(payload.sub).toBe(await testApp.userId('alice'));
  });
});

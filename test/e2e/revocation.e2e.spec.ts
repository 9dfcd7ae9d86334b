import request from 'supertest';
import { DataSource } from 'typeorm';
import { DeviceAuthEventMap, DeviceAuthEvents } from '../../lib';
import { callMe, deviceLogin, refresh } from './support/device-flow';
import { bootTestApp, ISSUER, TestApp } from './support/test-app';
import { registerResourceServer } from './support/resource-server';

describe('POST /o/revoke/ (RFC 7009) and the guard after revocation', () => {
  let testApp: TestApp;
  const revoked: DeviceAuthEventMap['token.revoked'][] = [];
  beforeAll(async () => {
    testApp = await bootTestApp();
    testApp.app.get(DeviceAuthEvents).on('token.revoked', (event) => void revoked.push(event));
  });
  afterAll(() => testApp.close());

  const revoke = (form: Record<string, string>) => request(testApp.http).post('/o/revoke/').type('form').send(form);

  it('revokes a refresh token’s whole family: its successors, and the access tokens at once on this instance', async () => {
    const login = await deviceLogin(testApp);
    const rotated = (await refresh(testApp, login.refresh_token).expect(200)).body;
    const response = await revoke({ client_id: 'sample-cli', token: rotated.refresh_token }).expect(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect((await refresh(testApp, rotated.refresh_token)).body.error).toBe('invalid_grant');
    await callMe(testApp, rotated.access_token).expect(401);
    await callMe(testApp, login.access_token).expect(401);
    await new Promise(setImmediate);
    expect(revoked).toContainEqual({ grantId: expect.any(String), clientId: 'sample-cli', userId: await testApp.userId('alice') });
  });

  it('revokes the grant of an access token too', async () => {
    const login = await deviceLogin(testApp);
    await revoke({ client_id: 'sample-cli', token: login.access_token, token_type_hint: 'access_token' }).expect(200);
    await callMe(testApp, login.access_token).expect(401);
    expect((await refresh(testApp, login.refresh_token)).body.error).toBe('invalid_grant');
  });

  it('treats token_type_hint as a hint only', async () => {
    const login = await deviceLogin(testApp);
    await revoke({ client_id: 'sample-cli', token: login.refresh_token, token_type_hint: 'access_token' }).expect(200);
    expect((await refresh(testApp, login.refresh_token)).body.error).toBe('invalid_grant');
  });

  it('answers 200 to unknown, garbage and already-revoked tokens', async () => {
    const login = await deviceLogin(testApp);
    await revoke({ client_id: 'sample-cli', token: login.refresh_token }).expect(200);
    await revoke({ client_id: 'sample-cli', token: login.refresh_token }).expect(200);
    await revoke({ client_id: 'sample-cli', token: 'brt_000000000000000000000000000000000000' }).expect(200);
    await revoke({ client_id: 'sample-cli', token: 'x'.repeat(3000) }).expect(200);
  });

  it('leaves another client’s token alone, and says 200 all the same', async () => {
    const bobs = await deviceLogin(testApp, 'bob', 'team-cli');
    await revoke({ client_id: 'sample-cli', token: bobs.refresh_token }).expect(200);
    await revoke({ client_id: 'sample-cli', token: bobs.access_token }).expect(200);
    await callMe(testApp, bobs.access_token).expect(200);
    await refresh(testApp, bobs.refresh_token, 'team-cli').expect(200);
  });

  it('authenticates the client as the token endpoint does', async () => {
    expect((await revoke({ token: 'x' }).expect(401)).body.error).toBe('invalid_client');
    expect((await revoke({ client_id: 'nobody', token: 'x' }).expect(401)).body.error).toBe('invalid_client');
    expect((await revoke({ client_id: 'sample-cli' }).expect(400)).body.error).toBe('invalid_request');
    expect((await request(testApp.http).post('/o/revoke/').send({ client_id: 'sample-cli', token: 'x' }).expect(400)).body.error).toBe(
      'invalid_request',
    );
  });

  describe('another instance’s revocation reaches this guard within accessToken.revocationCacheSeconds', () => {
    it('keeps passing a cached grant for at most 5 s, then refuses it', async () => {
      const login = await deviceLogin(testApp);
      await callMe(testApp, login.access_token).expect(200); // this instance now caches "not revoked"
      // Another instance revokes the grant: only the shared database changes.
      const grantId = JSON.parse(Buffer.from(login.access_token.split('.')[1], 'base64url').toString()).grant_id;
      await testApp.app.get(DataSource).query(`UPDATE device_auth_grants SET revoked_at = 1 WHERE id = '${grantId}'`);
      testApp.clock.advance(4);
      await callMe(testApp, login.access_token).expect(200);
      testApp.clock.advance(1);
      const refused = await callMe(testApp, login.access_token).expect(401);
      expect(refused.headers['www-authenticate']).toContain('error="invalid_token"');
    });
  });
});

describe('POST /o/introspect/ (RFC 7662)', () => {
  let testApp: TestApp;
  let resourceServer: { id: string; secret: string };
  beforeAll(async () => {
    testApp = await bootTestApp();
    resourceServer = await registerResourceServer(testApp);
  });
  afterAll(() => testApp.close());

  const introspect = (token: string, auth: [string, string] = [resourceServer.id, resourceServer.secret]) =>
    request(testApp.http)
      .post('/o/introspect/')
      .auth(...auth)
      .type('form')
      .send({ token });

  it('describes an active access token', async () => {
    const login = await deviceLogin(testApp, 'alice', 'sample-cli', 'user:read');
    const response = await introspect(login.access_token).expect(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const now = Math.floor(testApp.clock.now() / 1000);
    expect(response.body).toEqual({
      active: true,
      scope: 'user:read',
      client_id: 'sample-cli',
      sub: await testApp.userId('alice'),
      aud: ISSUER,
      iat: now,
      exp: now + 3600,
      token_type: 'Bearer',
    });
  });

  it('answers {"active": false} alone for revoked, expired, unknown and foreign tokens', async () => {
    const login = await deviceLogin(testApp);
    await request(testApp.http).post('/o/revoke/').type('form').send({ client_id: 'sample-cli', token: login.refresh_token }).expect(200);
    expect((await introspect(login.access_token).expect(200)).body).toEqual({ active: false });
    const fresh = await deviceLogin(testApp);
    testApp.clock.advance(3600);
    expect((await introspect(fresh.access_token).expect(200)).body).toEqual({ active: false });
    expect((await introspect('brt_000000000000000000000000000000000000').expect(200)).body).toEqual({ active: false });
    expect((await introspect('eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.').expect(200)).body).toEqual({ active: false });
    // A refresh token is the business of the client it was issued to, not of a resource server.
    expect((await introspect(fresh.refresh_token).expect(200)).body).toEqual({ active: false });
  });

  it('refuses public clients and unauthenticated callers with 401', async () => {
    const login = await deviceLogin(testApp);
    const publicCaller = await request(testApp.http)
      .post('/o/introspect/')
      .type('form')
      .send({ client_id: 'sample-cli', token: login.access_token })
      .expect(401);
    expect(publicCaller.body.error).toBe('invalid_client');
    await request(testApp.http).post('/o/introspect/').type('form').send({ token: login.access_token }).expect(401);
    await introspect(login.access_token, [resourceServer.id, 'wrong']).expect(401);
  });

  it('appears, with revocation, in the metadata document', async () => {
    const { body } = await request(testApp.http).get('/.well-known/oauth-authorization-server').expect(200);
    expect(body.revocation_endpoint).toBe('http://localhost:3000/o/revoke/');
    expect(body.introspection_endpoint).toBe('http://localhost:3000/o/introspect/');
    expect(body.grant_types_supported).toEqual(expect.arrayContaining(['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token']));
  });
});

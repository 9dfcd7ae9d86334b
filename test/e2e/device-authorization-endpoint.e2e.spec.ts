import request from 'supertest';
import { ClientsService } from '../../lib';
import { bootTestApp, ISSUER, TestApp } from './support/test-app';

describe('POST /o/device-authorization/ (RFC 8628 §3.1–3.2)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await bootTestApp();
    const clients = testApp.app.get(ClientsService);
    await clients.register({
      clientId: 'refresh-only',
      name: 'Refresh only',
      type: 'public',
      mode: 'partner',
      grantTypes: ['refresh_token'],
      scopes: ['user:read'],
    });
  });
  afterAll(() => testApp.close());

  const authorize = (form: Record<string, string>) => request(testApp.http).post('/o/device-authorization/').type('form').send(form);

  it('returns every RFC 8628 field, numbers as numbers, and is never cached', async () => {
    const response = await authorize({ client_id: 'sample-cli', scope: 'user:read listings:read' }).expect(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['pragma']).toBe('no-cache');
    const body = response.body;
    expect(body.device_code).toMatch(/^bdc_[0-9A-Za-z]{36}$/);
    expect(body.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(body.verification_uri).toBe(`${ISSUER}/oauth/device`);
    expect(body.verification_uri_complete).toBe(`${ISSUER}/oauth/device?user_code=${body.user_code}`);
    expect(body.expires_in).toBe(900);
    expect(body.interval).toBe(5);
  });

  it('draws a different device code and user code each time', async () => {
    const codes = await Promise.all([1, 2, 3, 4, 5].map(() => authorize({ client_id: 'team-cli' }).expect(200)));
    expect(new Set(codes.map((r) => r.body.device_code)).size).toBe(5);
    expect(new Set(codes.map((r) => r.body.user_code)).size).toBe(5);
  });

  it('refuses an unknown client with 401 invalid_client', async () => {
    const response = await authorize({ client_id: 'nobody' }).expect(401);
    expect(response.body.error).toBe('invalid_client');
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('refuses a request without client_id with 401 invalid_client', async () => {
    expect((await authorize({ scope: 'user:read' }).expect(401)).body.error).toBe('invalid_client');
  });

  it('refuses a client without the device grant with 400 unauthorized_client', async () => {
    expect((await authorize({ client_id: 'refresh-only' }).expect(400)).body.error).toBe('unauthorized_client');
  });

  it('refuses a scope outside the client’s allowed scopes with 400 invalid_scope', async () => {
    expect((await authorize({ client_id: 'sample-cli', scope: 'user:read admin' }).expect(400)).body.error).toBe('invalid_scope');
  });

  it('accepts only form posts', async () => {
    const json = await request(testApp.http).post('/o/device-authorization/').send({ client_id: 'sample-cli' }).expect(400);
    expect(json.body.error).toBe('invalid_request');
  });
});

import request from 'supertest';
import { ClientsService } from '../../lib';
import { DEVICE_GRANT, startDeviceAuthorization } from './support/device-flow';
import { basicAuth, expectOAuthError } from './support/oauth-responses';
import { bootTestApp, TestApp } from './support/test-app';
import { present } from './support/present';

/** RFC 6749 rules every token request meets, whatever the grant; and the bad inputs it must survive. */
describe('POST /o/token/: request rules (RFC 6749)', () => {
  let testApp: TestApp;
  let confidentialSecret: string;
  beforeAll(async () => {
    testApp = await bootTestApp();
    const registered = await testApp.app.get(ClientsService).register({
      clientId: 'ci-bot',
      name: 'CI bot',
      type: 'confidential',
      mode: 'partner',
      grantTypes: ['urn:ietf:params:oauth:grant-type:device_code'],
      scopes: ['user:read'],
    });
    confidentialSecret = present(registered.clientSecret, 'the secret of ci-bot');
  });
  afterAll(() => testApp.close());

  const token = () => request(testApp.http).post('/o/token/');

  describe('content and parameters', () => {
    it.each([
      ['a JSON body', (t: request.Test) => t.send({ grant_type: DEVICE_GRANT })],
      ['a multipart body', (t: request.Test) => t.field('grant_type', DEVICE_GRANT)],
      ['no content type', (t: request.Test) => t.send(Buffer.from(`grant_type=${DEVICE_GRANT}`))],
    ])('refuses %s with invalid_request', async (_label, send) => {
      expectOAuthError(await send(token()), 400, 'invalid_request');
    });

    it('refuses a repeated parameter', async () => {
      expectOAuthError(
        await token().type('form').send(`grant_type=${DEVICE_GRANT}&client_id=sample-cli&client_id=team-cli`),
        400,
        'invalid_request',
      );
    });

    it.each(['client_id[]=sample-cli', 'client_id[a]=sample-cli', 'grant_type[0]=x'])(
      'refuses the array/object shape %s',
      async (shape) => {
        expectOAuthError(await token().type('form').send(`grant_type=${DEVICE_GRANT}&device_code=x&${shape}`), 400, 'invalid_request');
      },
    );

    it('refuses a missing grant_type with invalid_request and an unknown one with unsupported_grant_type', async () => {
      expectOAuthError(await token().type('form').send({ client_id: 'sample-cli' }), 400, 'invalid_request');
      expectOAuthError(await token().type('form').send({ grant_type: 'password', client_id: 'sample-cli' }), 400, 'unsupported_grant_type');
    });

    it('treats an empty parameter as omitted', async () => {
      expectOAuthError(
        await token().type('form').send({ grant_type: DEVICE_GRANT, client_id: 'sample-cli', device_code: '' }),
        400,
        'invalid_request',
      );
    });

    it.each([
      ['a 10 KB value', () => ({ grant_type: DEVICE_GRANT, client_id: 'sample-cli', device_code: 'x'.repeat(10_000) })],
      ['a NUL byte', () => ({ grant_type: DEVICE_GRANT, client_id: 'sample-cli', device_code: 'bdc_\u0000' })],
      ['CR/LF', () => ({ grant_type: DEVICE_GRANT, client_id: 'sample-cli\r\nX-Injected: 1', device_code: 'x' })],
    ])('answers %s with a 4xx, never a 500', async (_label, form) => {
      const response = await token().type('form').send(form());
      expectOAuthError(response, 400, 'invalid_request');
    });

    it.each([
      ['a 100 KB body', `grant_type=${DEVICE_GRANT}&x=${'a'.repeat(100 * 1024)}`],
      ['bad percent-encoding', `grant_type=%E0%A4%A&client_id=%ZZ`],
      ['malformed JSON', '{"grant_type":'],
    ])('answers %s with a 4xx JSON body', async (label, body) => {
      const response = await token()
        .set('Content-Type', label === 'malformed JSON' ? 'application/json' : 'application/x-www-form-urlencoded')
        .send(body);
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(response.headers['content-type']).toMatch(/application\/json/);
    });
  });

  describe('client authentication', () => {
    it('authenticates a confidential client by HTTP Basic, form-decoding the credentials', async () => {
      const start = await request(testApp.http)
        .post('/o/device-authorization/')
        .type('form')
        .set('Authorization', basicAuth('ci-bot', encodeURIComponent(confidentialSecret)))
        .send({ scope: 'user:read' })
        .expect(200);
      const response = await token()
        .type('form')
        .set('Authorization', basicAuth('ci-bot', confidentialSecret))
        .send({ grant_type: DEVICE_GRANT, device_code: start.body.device_code });
      expectOAuthError(response, 400, 'authorization_pending');
    });

    it('authenticates a confidential client by client_secret in the body', async () => {
      const response = await token()
        .type('form')
        .send({ grant_type: DEVICE_GRANT, client_id: 'ci-bot', client_secret: confidentialSecret, device_code: 'x' });
      expectOAuthError(response, 400, 'invalid_grant');
    });

    it('answers wrong Basic credentials with 401 invalid_client and a Basic challenge', async () => {
      const response = await token()
        .type('form')
        .set('Authorization', basicAuth('ci-bot', 'wrong'))
        .send({ grant_type: DEVICE_GRANT, device_code: 'x' });
      expectOAuthError(response, 401, 'invalid_client');
      expect(response.headers['www-authenticate']).toMatch(/^Basic /);
    });

    it('answers a wrong body secret and a missing secret with 401 invalid_client', async () => {
      expectOAuthError(
        await token().type('form').send({ grant_type: DEVICE_GRANT, client_id: 'ci-bot', client_secret: 'wrong', device_code: 'x' }),
        401,
        'invalid_client',
      );
      expectOAuthError(
        await token().type('form').send({ grant_type: DEVICE_GRANT, client_id: 'ci-bot', device_code: 'x' }),
        401,
        'invalid_client',
      );
    });

    it('refuses Basic and a body secret together with 400 invalid_request', async () => {
      const response = await token()
        .type('form')
        .set('Authorization', basicAuth('ci-bot', confidentialSecret))
        .send({ grant_type: DEVICE_GRANT, client_secret: confidentialSecret, device_code: 'x' });
      expectOAuthError(response, 400, 'invalid_request');
    });

    it.each([
      ['without a colon', 'Basic ' + Buffer.from('ci-bot').toString('base64')],
      ['with bad base64', 'Basic %%%not-base64%%%'],
      ['with bad form-encoding', 'Basic ' + Buffer.from('ci-bot:%E0%A4%A').toString('base64')],
    ])('answers Basic credentials %s with 401 invalid_client', async (_label, header) => {
      expectOAuthError(
        await token().type('form').set('Authorization', header).send({ grant_type: DEVICE_GRANT, device_code: 'x' }),
        401,
        'invalid_client',
      );
    });

    it('refuses a secret sent by a public client', async () => {
      const start = await startDeviceAuthorization(testApp);
      expectOAuthError(
        await token()
          .type('form')
          .send({ grant_type: DEVICE_GRANT, client_id: 'sample-cli', client_secret: 'x', device_code: start.device_code }),
        401,
        'invalid_client',
      );
    });

    it('refuses user_id from a personal app', async () => {
      const start = await startDeviceAuthorization(testApp);
      const response = await token()
        .type('form')
        .send({ grant_type: DEVICE_GRANT, client_id: 'sample-cli', device_code: start.device_code, user_id: 'someone' });
      expectOAuthError(response, 400, 'invalid_request');
      expect(response.body.error_description).toBe('user_id is not accepted for personal apps');
    });
  });
});

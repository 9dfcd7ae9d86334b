import { Agent } from 'node:http';
import { ThrottlerStorageService } from '@nestjs/throttler';
import request from 'supertest';
import { expectPageSecurityHeaders, headingOf, openCode } from './support/verification-page';
import { DEVICE_GRANT, signedInBrowser, startDeviceAuthorization } from './support/device-flow';
import { ClientsService, DEVICE_AUTH_MESSAGES_DE, messagesByLanguage } from '../../lib';
import { basicAuth, expectOAuthError } from './support/oauth-responses';
import { present } from './support/present';
import { TestApp, useTestApp } from './support/test-app';

/** A token request (a poll with an unknown device code) from `fromAddress`, a loopback address. */
function tokenRequest(testApp: TestApp, clientId: string, fromAddress = '127.0.0.1'): request.Test {
  return request(testApp.http)
    .post('/o/token/')
    .agent(new Agent({ localAddress: fromAddress }))
    .type('form')
    .send({ grant_type: DEVICE_GRANT, device_code: 'unknown', client_id: clientId });
}

function expectTooManyRequests(response: request.Response, retryAfterSeconds: number): void {
  expectOAuthError(response, 429, 'slow_down');
  expect(response.headers['retry-after']).toBe(String(retryAfterSeconds));
}

/** A confidential app registered for client credentials, and a token request with a given secret. */
async function confidentialBot(testApp: TestApp, clientId: string) {
  const { clientSecret } = await testApp.app.get(ClientsService).register({
    clientId,
    name: clientId,
    type: 'confidential',
    mode: 'partner',
    grantTypes: ['client_credentials'],
    scopes: ['listings:read'],
  });
  const clientCredentials = (secret: string) =>
    request(testApp.http)
      .post('/o/token/')
      .type('form')
      .set('Authorization', basicAuth(clientId, secret))
      .send({ grant_type: 'client_credentials' });
  return { clientSecret, clientCredentials };
}

describe('rate limits', () => {
  describe('wrong user codes', () => {
    const testApp = useTestApp();

    it('answer the 429 page with Retry-After and the minutes to wait, left in the window of the first wrong code, and ways on', async () => {
      const alice = await signedInBrowser(testApp, 'alice');
      for (let i = 0; i < 10; i++) await openCode(alice, 'ZZZZ-ZZZZ').expect(400);
      const start = await startDeviceAuthorization(testApp);

      const limited = await openCode(alice, start.user_code).expect(429);
      expectPageSecurityHeaders(limited);
      expect(headingOf(limited.text)).toBe('Too many attempts');
      expect(limited.headers['retry-after']).toBe('900');
      expect(limited.text).toContain('Too many wrong codes were entered. Try again in 15 minutes.');
      expect(limited.text).toContain('<a href="/oauth/device">Enter a code</a>');
      expect(limited.text).toContain('<a href="/">Go to the home page</a>');

      testApp.clock.advance(600);
      const later = await openCode(alice, start.user_code).expect(429);
      expect(later.headers['retry-after']).toBe('300');
      expect(later.text).toContain('Try again in 5 minutes.');
      testApp.clock.advance(299);
      expect((await openCode(alice, start.user_code).expect(429)).text).toContain('Try again in 1 minute.');
    });
  });

  describe('wrong user codes, in German', () => {
    const testApp = useTestApp({ deviceAuth: { messages: messagesByLanguage({ de: DEVICE_AUTH_MESSAGES_DE }), homeUrl: '/start' } });

    it('say in German when to try again, with the links', async () => {
      const alice = await signedInBrowser(testApp, 'alice');
      for (let i = 0; i < 10; i++) await openCode(alice, 'ZZZZ-ZZZZ').expect(400);
      const limited = await openCode(alice, 'ZZZZ-ZZZZ').set('Accept-Language', 'de-DE,de;q=0.9').expect(429);
      expect(headingOf(limited.text)).toBe('Zu viele Versuche');
      expect(limited.text).toContain('Es wurden zu viele falsche Codes eingegeben. Versuchen Sie es in 15 Minuten erneut.');
      expect(limited.text).toContain('<a href="/oauth/device">Code eingeben</a>');
      expect(limited.text).toContain('<a href="/start">Zur Startseite</a>');
    });
  });

  describe('a burst of parallel attempts', () => {
    const testApp = useTestApp();

    it('gets no more wrong user codes checked than a sequence: 10 answered, the rest 429', async () => {
      const alice = await signedInBrowser(testApp, 'alice');
      const statuses = await Promise.all(Array.from({ length: 25 }, async () => (await openCode(alice, 'ZZZZ-ZZZZ')).status));
      expect(statuses.filter((status) => status === 400)).toHaveLength(10);
      expect(statuses.filter((status) => status === 429)).toHaveLength(15);
    });

    it('gets no more client secrets checked than a sequence: 10 answered, the rest 429', async () => {
      const statuses = await Promise.all(
        Array.from(
          { length: 25 },
          async () =>
            (
              await request(testApp.http)
                .post('/o/token/')
                .type('form')
                .set('Authorization', basicAuth('reports-service', 'wrong'))
                .send({ grant_type: 'client_credentials' })
            ).status,
        ),
      );
      expect(statuses.filter((status) => status === 401)).toHaveLength(10);
      expect(statuses.filter((status) => status === 429)).toHaveLength(15);
    });
  });

  describe("in a storage the host provides (throttler's own in-memory ThrottlerStorageService)", () => {
    const storage = new ThrottlerStorageService();
    const testApp = useTestApp({ deviceAuth: { rateLimits: { storage } } });
    afterAll(() => storage.onApplicationShutdown());

    it('counts there: past 10 wrong secrets, even the right one is refused with 429 and Retry-After', async () => {
      const { clientSecret, clientCredentials } = await confidentialBot(testApp, 'host-counted-bot');
      await clientCredentials(present(clientSecret, 'a client secret')).expect(200);
      for (let i = 0; i < 10; i++) expectOAuthError(await clientCredentials('wrong'), 401, 'invalid_client');
      const limited = await clientCredentials(present(clientSecret, 'a client secret'));
      expectOAuthError(limited, 429, 'slow_down');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    });
  });

  describe('device authorization requests per IP address', () => {
    const testApp = useTestApp({ deviceAuth: { rateLimits: { deviceAuthorizationsPerIp: { limit: 2, windowSeconds: 60 } } } });
    const deviceAuthorization = (fromAddress: string) =>
      request(testApp.http)
        .post('/o/device-authorization/')
        .agent(new Agent({ localAddress: fromAddress }))
        .type('form')
        .send({ client_id: 'sample-cli' });

    it('refuse the address past the limit with 429 slow_down for one window, storing nothing; other addresses go on', async () => {
      for (let i = 0; i < 2; i++) await deviceAuthorization('127.0.0.9').expect(200);
      expectTooManyRequests(await deviceAuthorization('127.0.0.9'), 60);
      await deviceAuthorization('127.0.0.10').expect(200);
      testApp.clock.advance(60);
      await deviceAuthorization('127.0.0.9').expect(200);
    });
  });

  describe('token requests per IP address', () => {
    const testApp = useTestApp({
      deviceAuth: { rateLimits: { tokenRequestsPerIp: { limit: 3, windowSeconds: 60 }, tokenRequestsPerClient: false } },
    });

    it('refuse the address past the limit with 429 slow_down for one window, whatever the client; other addresses go on', async () => {
      for (const clientId of ['sample-cli', 'team-cli', 'no-such-client']) await tokenRequest(testApp, clientId, '127.0.0.2');
      expectTooManyRequests(await tokenRequest(testApp, 'team-cli', '127.0.0.2'), 60);
      expectOAuthError(await tokenRequest(testApp, 'team-cli', '127.0.0.3'), 400, 'invalid_grant');

      testApp.clock.advance(59);
      expectTooManyRequests(await tokenRequest(testApp, 'sample-cli', '127.0.0.2'), 1);
      testApp.clock.advance(1);
      expectOAuthError(await tokenRequest(testApp, 'sample-cli', '127.0.0.2'), 400, 'invalid_grant');
    });
  });

  describe('token requests per client', () => {
    const testApp = useTestApp({
      deviceAuth: { rateLimits: { tokenRequestsPerClient: { limit: 3, windowSeconds: 60 }, tokenRequestsPerIp: false } },
    });

    it('refuse the client past the limit from every address; other clients go on', async () => {
      for (const address of ['127.0.0.4', '127.0.0.5', '127.0.0.6']) await tokenRequest(testApp, 'sample-cli', address);
      expectTooManyRequests(await tokenRequest(testApp, 'sample-cli', '127.0.0.7'), 60);
      expectOAuthError(await tokenRequest(testApp, 'team-cli', '127.0.0.7'), 400, 'invalid_grant');
    });

    it('count only authenticated requests, so naming a client cannot use up its allowance', async () => {
      const { clientSecret, clientCredentials } = await confidentialBot(testApp, 'limited-bot');
      for (let i = 0; i < 5; i++) expectOAuthError(await clientCredentials('wrong'), 401, 'invalid_client');
      for (let i = 0; i < 3; i++) await clientCredentials(present(clientSecret, 'a client secret')).expect(200);
      expectTooManyRequests(await clientCredentials(present(clientSecret, 'a client secret')), 60);
    });
  });

  describe('personal access token API requests per user', () => {
    const testApp = useTestApp({ deviceAuth: { rateLimits: { personalAccessTokenRequests: { limit: 3, windowSeconds: 60 } } } });

    it('refuse the user past the limit with 429 slow_down until the window ends; other users go on', async () => {
      const alice = await signedInBrowser(testApp, 'alice');
      for (let i = 0; i < 3; i++) await alice.get('/o/personal-access-tokens').expect(200);
      expectTooManyRequests(await alice.get('/o/personal-access-tokens'), 60);
      expectTooManyRequests(await alice.post('/o/personal-access-tokens').send({ name: 'ci', scopes: ['user:read'] }), 60);

      await (await signedInBrowser(testApp, 'bob')).get('/o/personal-access-tokens').expect(200);
      testApp.clock.advance(60);
      await alice.get('/o/personal-access-tokens').expect(200);
    });
  });
});

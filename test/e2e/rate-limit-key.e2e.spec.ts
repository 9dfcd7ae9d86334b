import request from 'supertest';
import type { DeviceAuthRequest } from '../../lib';
import { DEVICE_GRANT, signedInBrowser } from './support/device-flow';
import { expectOAuthError } from './support/oauth-responses';
import { TestApp, useTestApp } from './support/test-app';
import { openCode } from './support/verification-page';

/** What a host behind a proxy it does not configure its platform to trust writes: the first forwarded address. */
const firstForwardedFor = (request: DeviceAuthRequest): string | null => {
  const header = request.headers['x-forwarded-for'];
  return (Array.isArray(header) ? header[0] : header)?.split(',')[0].trim() || null;
};

const limits = {
  deviceAuthorizationsPerIp: { limit: 2, windowSeconds: 60 },
  tokenRequestsPerIp: { limit: 2, windowSeconds: 60 },
  tokenRequestsPerClient: false,
  wrongUserCodesPerIp: { limit: 2, windowSeconds: 60 },
} as const;

const deviceAuthorization = (testApp: TestApp, forwardedFor: string) =>
  request(testApp.http)
    .post('/o/device-authorization/')
    .set('X-Forwarded-For', forwardedFor)
    .type('form')
    .send({ client_id: 'sample-cli' });

const tokenRequest = (testApp: TestApp, forwardedFor: string) =>
  request(testApp.http)
    .post('/o/token/')
    .set('X-Forwarded-For', forwardedFor)
    .type('form')
    .send({ grant_type: DEVICE_GRANT, device_code: 'unknown', client_id: 'sample-cli' });

describe('per-IP limits keyed by the host’s rateLimitKey (X-Forwarded-For)', () => {
  const testApp = useTestApp({ deviceAuth: { rateLimitKey: firstForwardedFor, rateLimits: limits } });

  it('count device authorizations of two forwarded addresses apart, though they come from one socket address', async () => {
    for (let i = 0; i < 2; i++) await deviceAuthorization(testApp, '203.0.113.1').expect(200);
    // The first address of a chain is the key: the proxy's own is not.
    expectOAuthError(await deviceAuthorization(testApp, '203.0.113.1, 10.0.0.1'), 429, 'slow_down');
    await deviceAuthorization(testApp, '203.0.113.2').expect(200);
  });

  it('count token requests of two forwarded addresses apart', async () => {
    for (let i = 0; i < 2; i++) expectOAuthError(await tokenRequest(testApp, '198.51.100.1'), 400, 'invalid_grant');
    expectOAuthError(await tokenRequest(testApp, '198.51.100.1'), 429, 'slow_down');
    expectOAuthError(await tokenRequest(testApp, '198.51.100.2'), 400, 'invalid_grant');
  });

  it('count wrong user codes of two forwarded addresses apart', async () => {
    const alice = (await signedInBrowser(testApp, 'alice')).set('X-Forwarded-For', '192.0.2.1');
    for (let i = 0; i < 2; i++) await openCode(alice, 'ZZZZ-ZZZZ').expect(400);
    await openCode(alice, 'ZZZZ-ZZZZ').expect(429);
    const bob = (await signedInBrowser(testApp, 'bob')).set('X-Forwarded-For', '192.0.2.2');
    await openCode(bob, 'ZZZZ-ZZZZ').expect(400);
  });
});

describe('per-IP limits without a rateLimitKey', () => {
  const testApp = useTestApp({ deviceAuth: { rateLimits: limits } });

  it('key by the address the platform reports, whatever X-Forwarded-For says', async () => {
    await deviceAuthorization(testApp, '203.0.113.1').expect(200);
    await deviceAuthorization(testApp, '203.0.113.2').expect(200);
    expectOAuthError(await deviceAuthorization(testApp, '203.0.113.3'), 429, 'slow_down');
  });
});

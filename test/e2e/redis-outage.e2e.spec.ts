import { randomUUID } from 'node:crypto';
import { pollToken, startDeviceAuthorization } from './support/device-flow';
import { expectOAuthError } from './support/oauth-responses';
import { present } from './support/present';
import { TcpProxy } from './support/tcp-proxy';
import { bootTestApp, TestApp } from './support/test-app';

/**
 * The Redis of the shared rate-limit counters goes away while the app runs (a TCP proxy between
 * them is cut; the shared Redis server is never stopped). Needs a Redis: REDIS_URL (CI and the
 * development machines set redis://127.0.0.1:6379). Without it this suite is skipped.
 */
const REDIS_URL = process.env.REDIS_URL;
const describeWithRedis = REDIS_URL ? describe : describe.skip;

describeWithRedis('the rate-limit counters in Redis become unreachable', () => {
  let proxy: TcpProxy;
  let testApp: TestApp;

  beforeAll(async () => {
    const redisUrl = present(REDIS_URL, 'REDIS_URL');
    proxy = await TcpProxy.start(redisUrl);
    testApp = await bootTestApp({ deviceAuth: { redis: { url: proxy.url(redisUrl), keyPrefix: `test-${randomUUID()}:` } } });
  });
  afterAll(async () => {
    await testApp.close();
    await proxy.cut();
  });

  it('answers token requests 503 temporarily_unavailable with Retry-After, never a 500 nor an unchecked request, and recovers', async () => {
    const start = await startDeviceAuthorization(testApp);
    await proxy.cut();
    const refused = await pollToken(testApp, start.device_code);
    expectOAuthError(refused, 503, 'temporarily_unavailable');
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.headers['cache-control']).toBe('no-store');

    await proxy.restore();
    // ioredis reconnects on its own schedule (a bounded back-off): asks again for at most ten seconds.
    const deadline = Date.now() + 10_000;
    let answer = await pollToken(testApp, start.device_code);
    while (answer.status === 503 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      answer = await pollToken(testApp, start.device_code);
    }
    expectOAuthError(answer, 400, 'authorization_pending');
  });
});

import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import { DEVICE_AUTH_ENTITIES, DEVICE_AUTH_MIGRATIONS, DeviceAuthModule } from '../../lib';
import { callMe, deviceLogin, pollToken, startDeviceAuthorization } from './support/device-flow';
import { bootInstancePair, InstancePair } from './support/instance-pair';
import { expectOAuthError } from './support/oauth-responses';
import { answeredWithin, expectTemporarilyUnavailable } from './support/outage';
import { present } from './support/present';
import { TcpProxy } from './support/tcp-proxy';
import type { TestApp } from './support/test-app';

/**
 * The Redis of the shared rate-limit counters and of the cache invalidation goes away while two
 * instances run: a TCP proxy between them and Redis is cut (connections reset, new ones refused) or
 * black-holed (connections stay open, nothing comes back); the shared Redis server is never stopped.
 * Needs a Redis: REDIS_URL (CI and the development machines set redis://127.0.0.1:6379). Without it
 * this suite is skipped.
 */
const REDIS_URL = process.env.REDIS_URL;
const describeWithRedis = REDIS_URL ? describe : describe.skip;

/** The instances' redis.connectTimeoutMs and redis.commandTimeoutMs. */
const TIMEOUT_MS = 300;
/** The configured timeout plus slack for a loaded machine: an answer later than this hung. */
const BOUND_MS = 2000;

/** Asks again every 100 ms while `status` is `waitingOn`, for at most `seconds`; the last answer. */
async function askUntilNot(waitingOn: number, seconds: number, send: () => Promise<request.Response>): Promise<request.Response> {
  const deadline = Date.now() + seconds * 1000;
  let answer = await send();
  while (answer.status === waitingOn && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    answer = await send();
  }
  return answer;
}

describeWithRedis('Redis becomes unreachable or stops answering while instances run', () => {
  let proxy: TcpProxy;
  let pair: InstancePair;

  beforeAll(async () => {
    const redisUrl = present(REDIS_URL, 'REDIS_URL');
    proxy = await TcpProxy.start(redisUrl);
    pair = await bootInstancePair({ url: proxy.url(redisUrl), connectTimeoutMs: TIMEOUT_MS, commandTimeoutMs: TIMEOUT_MS });
  });
  afterAll(async () => {
    await pair.close();
    await proxy.close();
  });

  const startOn = (instance: TestApp) =>
    request(instance.http).post('/o/device-authorization/').type('form').send({ client_id: 'sample-cli' });
  const revokeOn = (instance: TestApp, token: string) =>
    request(instance.http).post('/o/revoke/').type('form').send({ token, client_id: 'sample-cli' });

  /**
   * With Redis away, the rate-limited endpoints answer 503 `temporarily_unavailable` with
   * `Retry-After` (no limit can be checked, and none is skipped) within the bound, every time;
   * a revocation still answers 200 within the bound and holds on this instance at once.
   */
  async function expectBoundedRefusals(a: TestApp, deviceCode: string, tokens: { access_token: string; refresh_token: string }) {
    for (let attempt = 0; attempt < 3; attempt++) {
      expectTemporarilyUnavailable(await answeredWithin(BOUND_MS, () => startOn(a)));
      expectTemporarilyUnavailable(await answeredWithin(BOUND_MS, () => pollToken(a, deviceCode)));
    }
    expect((await answeredWithin(BOUND_MS, () => revokeOn(a, tokens.refresh_token))).status).toBe(200);
    await callMe(a, tokens.access_token).expect(401);
  }

  /** Whether a grant revoked through A is refused by B within a second, though B had found it live. */
  async function revocationReaches(a: TestApp, b: TestApp): Promise<boolean> {
    const tokens = await deviceLogin(a);
    await callMe(b, tokens.access_token).expect(200);
    await revokeOn(a, tokens.refresh_token).expect(200);
    return (await askUntilNot(200, 1, () => callMe(b, tokens.access_token))).status === 401;
  }

  /**
   * After the network is back, both instances serve again by themselves: the counters answer, and a
   * revocation through A reaches B's cache through pub/sub (B subscribed again), though B's cache
   * never goes stale here (the test clock stands still).
   */
  async function expectResumed(a: TestApp, b: TestApp, deviceCode: string) {
    // ioredis reconnects on its own schedule (a back-off of at most 2 s): asks again for at most ten seconds.
    expectOAuthError(await askUntilNot(503, 10, () => pollToken(a, deviceCode)), 400, 'authorization_pending');
    expect((await askUntilNot(503, 10, () => startOn(b))).status).toBe(200);
    // B's subscriber reconnects on a schedule of its own, and a message sent before it subscribed
    // again is lost: revokes fresh grants until one reaches B, for at most ten seconds.
    const deadline = Date.now() + 10_000;
    let reached = await revocationReaches(a, b);
    while (!reached && Date.now() < deadline) reached = await revocationReaches(a, b);
    expect(reached).toBe(true);
  }

  it('cut (connections reset, new ones refused): 503 with Retry-After within the bound, and service resumes by itself', async () => {
    const { a, b } = pair;
    const tokens = await deviceLogin(a);
    const start = await startDeviceAuthorization(a);
    await proxy.cut();
    await expectBoundedRefusals(a, start.device_code, tokens);

    await proxy.restore();
    await expectResumed(a, b, start.device_code);
  }, 30_000);

  it('black hole (connections open, nothing answers): 503 with Retry-After within the bound, and service resumes by itself', async () => {
    const { a, b } = pair;
    const tokens = await deviceLogin(a);
    const start = await startDeviceAuthorization(a);
    proxy.stall();
    await expectBoundedRefusals(a, start.device_code, tokens);

    // The stalled connections are reset, as TCP connections that outlived a partition usually are.
    await proxy.restore();
    await expectResumed(a, b, start.device_code);
  }, 30_000);

  it('a connection that goes silent for good while new ones get through: 503 within the bound, then served again without any reset', async () => {
    const { a } = pair;
    const start = await startDeviceAuthorization(a);
    proxy.strand();
    expectTemporarilyUnavailable(await answeredWithin(BOUND_MS, () => pollToken(a, start.device_code)));
    // Nothing ever closes the silent connection: the instance must give up on it and open another.
    expectOAuthError(await askUntilNot(503, 10, () => pollToken(a, start.device_code)), 400, 'authorization_pending');
  }, 30_000);
});

describeWithRedis('an instance starting while Redis is unreachable or silent', () => {
  let proxy: TcpProxy;
  beforeEach(async () => {
    proxy = await TcpProxy.start(present(REDIS_URL, 'REDIS_URL'));
  });
  afterEach(() => proxy.close());

  /** A minimal host on its own in-memory database, with the same Redis bounds as the instances above. */
  async function boot(): Promise<void> {
    const database = TypeOrmModule.forRoot({
      type: 'better-sqlite3',
      database: ':memory:',
      entities: DEVICE_AUTH_ENTITIES,
      migrations: DEVICE_AUTH_MIGRATIONS,
      migrationsRun: true,
      retryAttempts: 0,
    });
    const redis = { url: proxy.url(present(REDIS_URL, 'REDIS_URL')), connectTimeoutMs: TIMEOUT_MS, commandTimeoutMs: TIMEOUT_MS };
    const deviceAuth = DeviceAuthModule.forRoot({ issuer: 'http://localhost:4000', resolveUser: () => null, redis });
    const moduleRef = await Test.createTestingModule({ imports: [database, deviceAuth] }).compile();
    await moduleRef.createNestApplication({ logger: false }).init();
  }

  it.each([
    ['refused', () => proxy.cut()],
    ['black-holed', async () => proxy.stall()],
  ])('refuses to start within the bound when Redis is %s, naming redis.url', async (_label, outage) => {
    await outage();
    const started = Date.now();
    await expect(boot()).rejects.toThrow(/cannot reach the Redis of option "redis.url"/);
    expect(Date.now() - started).toBeLessThan(BOUND_MS);
  });
});

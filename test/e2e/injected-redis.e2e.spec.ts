import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DEVICE_AUTH_ENTITIES, DEVICE_AUTH_MIGRATIONS, DeviceAuthModule } from '../../lib';
import { callMe, deviceLogin, signedInBrowser, startDeviceAuthorization } from './support/device-flow';
import { sharedDatabase } from './support/instance-pair';
import { present } from './support/present';
import { bootTestApp, TestApp } from './support/test-app';
import { TestClock } from './support/test-clock';
import { openCode } from './support/verification-page';
import { withinOneSecond } from './support/within-one-second';

/** Needs a Redis: REDIS_URL (CI and the development machines set redis://127.0.0.1:6379); skipped without. */
const REDIS_URL = process.env.REDIS_URL;
const describeWithRedis = REDIS_URL ? describe : describe.skip;

/** The host's connection, bounded as the module's own would be; named, so its connections can be counted. */
function hostClient(name: string): Redis {
  return new Redis(present(REDIS_URL, 'REDIS_URL'), { connectionName: name, commandTimeout: 500, maxRetriesPerRequest: 0 });
}

/** The connections Redis has open under this client name (a duplicate carries its original's name). */
async function connectionsNamed(redis: Redis, name: string): Promise<number> {
  const list = (await redis.client('LIST')) as string;
  return list.split('\n').filter((line) => line.includes(` name=${name} `)).length;
}

describeWithRedis('two instances of the sample app with the host’s own ioredis clients (redis.client)', () => {
  const keyPrefix = `test-${randomUUID()}:`;
  const names = { a: `host-a-${randomUUID()}`, b: `host-b-${randomUUID()}`, bSubscriber: `host-b-sub-${randomUUID()}` };
  let clients: Record<keyof typeof names, Redis>;
  let a: TestApp;
  let b: TestApp;
  let removeDatabase: () => Promise<void>;
  let closed = false;
  const closeApps = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await Promise.all([a?.close(), b?.close()]);
  };

  beforeAll(async () => {
    clients = { a: hostClient(names.a), b: hostClient(names.b), bSubscriber: hostClient(names.bSubscriber) };
    const { database, remove } = await sharedDatabase();
    removeDatabase = remove;
    const clock = new TestClock();
    // A subscribes on a duplicate of its client; B on the subscriber its host gives it.
    a = await bootTestApp({ sharedDatabase: database, clock, deviceAuth: { redis: { client: clients.a, keyPrefix } } });
    b = await bootTestApp({
      sharedDatabase: database,
      clock,
      deviceAuth: { redis: { client: clients.b, subscriber: clients.bSubscriber, keyPrefix } },
    });
  });

  afterAll(async () => {
    await closeApps();
    await removeDatabase?.();
    await Promise.all(Object.values(clients).map((client) => client.quit()));
  });

  it('refuse on each instance the access tokens of a grant revoked through the other, told by pub/sub', async () => {
    // B hears through the subscriber its host gave it; A through the duplicate the module made.
    for (const [revoking, told] of [
      [a, b],
      [b, a],
    ]) {
      const tokens = await deviceLogin(revoking);
      await callMe(told, tokens.access_token).expect(200);

      await request(revoking.http)
        .post('/o/revoke/')
        .type('form')
        .send({ token: tokens.refresh_token, client_id: 'sample-cli' })
        .expect(200);
      await withinOneSecond(async () => (await callMe(told, tokens.access_token)).status, 401);
    }
  });

  it('count wrong user codes together through those clients, under the key prefix', async () => {
    for (const instance of [a, b]) {
      const alice = await signedInBrowser(instance, 'alice');
      for (let i = 0; i < 5; i++) await openCode(alice, 'ZZZZ-ZZZZ').expect(400);
    }
    const start = await startDeviceAuthorization(a);
    for (const instance of [a, b]) await openCode(await signedInBrowser(instance, 'alice'), start.user_code).expect(429);
    expect(await clients.a.keys(`${keyPrefix}limit:wrongUserCodes:*`)).not.toHaveLength(0);
  });

  it('leave the host’s clients open at shutdown, closing only the duplicate the module made', async () => {
    expect(await connectionsNamed(clients.a, names.a)).toBe(2);
    await closeApps();

    expect(clients.a.status).toBe('ready');
    expect(await connectionsNamed(clients.a, names.a)).toBe(1);
    expect(await clients.b.ping()).toBe('PONG');
    // B's subscriber stays open, without the module's channel.
    expect(clients.bSubscriber.status).toBe('ready');
    expect(await clients.a.pubsub('NUMSUB', `${keyPrefix}cache-invalidation`)).toEqual([`${keyPrefix}cache-invalidation`, 0]);
    expect(await clients.bSubscriber.ping()).toBe('PONG');
  });
});

describe('an instance given a client of a Redis that cannot be reached', () => {
  it('refuses to start, naming redis.client', async () => {
    // Port 1 refuses at once; no retries, so the host's client gives up after the first attempt, and
    // its timers (and the duplicate's, which copies its options) end soon after, so Jest can exit.
    const unreachable = new Redis('redis://127.0.0.1:1', { lazyConnect: true, retryStrategy: () => null, disconnectTimeout: 100 });
    unreachable.on('error', () => undefined);
    // A minimal host on its own in-memory database.
    const database = TypeOrmModule.forRoot({
      type: 'better-sqlite3',
      database: ':memory:',
      entities: DEVICE_AUTH_ENTITIES,
      migrations: DEVICE_AUTH_MIGRATIONS,
      migrationsRun: true,
      retryAttempts: 0,
    });
    const deviceAuth = DeviceAuthModule.forRoot({
      issuer: 'http://localhost:4000',
      resolveUser: () => null,
      redis: { client: unreachable },
    });
    const app = (await Test.createTestingModule({ imports: [database, deviceAuth] }).compile()).createNestApplication({ logger: false });
    await expect(app.init()).rejects.toThrow(/cannot reach the Redis of option "redis.client"/);
    await app.close();
    unreachable.disconnect();
  });
});

import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { MemoryThrottlerStorage } from '../../../lib/limits/memory-throttler-storage';
import { RedisThrottlerStorage } from '../../../lib/limits/redis-throttler-storage';
import { TestClock } from '../../e2e/support/test-clock';

/** The Redis storage needs a Redis: REDIS_URL (set in CI). Without it these tests are skipped. */
const REDIS_URL = process.env.REDIS_URL;
const describeWithRedis = REDIS_URL ? describe : describe.skip;

/** [seconds to advance first, key, ttl ms, limit, block ms] */
type Step = [number, string, number, number, number];

const STEPS: Step[] = [
  // A request limit: 3 per 60 s, blocked for 60 s past it.
  ...Array.from({ length: 5 }, (): Step => [0, 'requests', 60_000, 3, 60_000]),
  [30, 'requests', 60_000, 3, 60_000],
  [30, 'requests', 60_000, 3, 60_000],
  [30, 'requests', 60_000, 3, 60_000],
  // Failures without a block, then a gate checked (never limited), closed (limit 0), checked again.
  [0, 'failures', 900_000, 2, 0],
  [0, 'failures', 900_000, 2, 0],
  [0, 'failures', 900_000, 2, 0],
  [1, 'gate', 900_000, Number.MAX_SAFE_INTEGER, 900_000],
  [0, 'gate', 900_000, 0, 899_000],
  [0, 'gate', 900_000, Number.MAX_SAFE_INTEGER, 900_000],
  [898, 'gate', 900_000, Number.MAX_SAFE_INTEGER, 900_000],
  [1, 'gate', 900_000, Number.MAX_SAFE_INTEGER, 900_000],
  // A window that ended starts afresh.
  [1000, 'failures', 900_000, 2, 0],
];

describeWithRedis('the Redis and the memory throttler storages', () => {
  const connections: Redis[] = [];
  const connect = (): Redis => {
    const connection = new Redis(REDIS_URL as string);
    connections.push(connection);
    return connection;
  };
  afterAll(() => Promise.all(connections.map((connection) => connection.quit())));

  it('give the same answers, step by step, on the injected clock', async () => {
    const clock = new TestClock();
    const memory = new MemoryThrottlerStorage(clock);
    const redis = new RedisThrottlerStorage(connect(), `test-${randomUUID()}:`, clock);
    for (const [seconds, key, ttl, limit, block] of STEPS) {
      clock.advance(seconds);
      const step = { seconds, key, limit };
      expect({ step, record: await redis.increment(key, ttl, limit, block) }).toEqual({
        step,
        record: await memory.increment(key, ttl, limit, block),
      });
    }
  });

  it('count concurrent hits from two instances exactly once each', async () => {
    const clock = new TestClock();
    const prefix = `test-${randomUUID()}:`;
    const instances = [new RedisThrottlerStorage(connect(), prefix, clock), new RedisThrottlerStorage(connect(), prefix, clock)];
    const records = await Promise.all(Array.from({ length: 40 }, (_, hit) => instances[hit % 2].increment('guesses', 60_000, 1000, 0)));
    expect(records.map((record) => record.totalHits).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, hit) => hit + 1));
  });
});

import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Clock } from '../clock';
import type { RedisClient } from '../options/device-auth-options.interface';
import { SharedStoreUnavailableError } from '../errors/shared-store-unavailable.error';
import { throttlerRecord, type ThrottlerStorageRecord } from './throttler-record';

/**
 * MemoryThrottlerStorage's rules as one Lua script, so Redis runs each increment atomically: two
 * instances counting the same key at once never both see the old count. "Now" comes from the
 * module's clock (ARGV[1]); Redis's own expiry only clears keys once their window and block are over.
 */
const INCREMENT = `
local now, ttl, limit, block = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local stored = redis.call('HMGET', KEYS[1], 'endsAt', 'hits', 'blockedUntil')
local endsAt, hits, blockedUntil = tonumber(stored[1]) or 0, tonumber(stored[2]) or 0, tonumber(stored[3]) or 0
if blockedUntil > now then return {endsAt, hits, blockedUntil} end
if endsAt <= now or blockedUntil ~= 0 then endsAt, hits, blockedUntil = now + ttl, 0, 0 end
hits = hits + 1
if block > 0 and hits > limit then blockedUntil = now + block end
redis.call('HSET', KEYS[1], 'endsAt', endsAt, 'hits', hits, 'blockedUntil', blockedUntil)
redis.call('PEXPIRE', KEYS[1], math.max(endsAt, blockedUntil) - now + 1000)
return {endsAt, hits, blockedUntil}
`;

/** Throttler's storage contract in a Redis every instance shares. */
export class RedisThrottlerStorage implements ThrottlerStorage {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
    private readonly clock: Clock,
  ) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number): Promise<ThrottlerStorageRecord> {
    const now = this.clock.now();
    let answer: number[];
    try {
      answer = (await this.redis.eval(INCREMENT, 1, `${this.keyPrefix}limit:${key}`, now, ttl, limit, blockDuration)) as number[];
    } catch (error) {
      // The script itself cannot fail on good arguments: an error here is Redis being away, refusing
      // connections, disconnected, or silent past redis.commandTimeoutMs ("Command timed out") or the host client's commandTimeout.
      throw new SharedStoreUnavailableError(`The rate-limit counters in Redis cannot be reached: ${String(error)}`, { cause: error });
    }
    const [endsAt, hits, blockedUntil] = answer;
    return throttlerRecord({ endsAt, hits, blockedUntil }, now);
  }
}

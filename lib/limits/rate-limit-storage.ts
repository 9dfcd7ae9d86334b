import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import type { RedisConnections } from '../redis/redis-connections';
import { MemoryThrottlerStorage } from './memory-throttler-storage';
import { RedisThrottlerStorage } from './redis-throttler-storage';

/** Where the counters live: the host's storage, else the shared Redis, else this process's memory. */
export function rateLimitStorage(options: ResolvedDeviceAuthOptions, redis: RedisConnections): ThrottlerStorage {
  if (options.rateLimits.storage) return options.rateLimits.storage;
  if (redis.commands) return new RedisThrottlerStorage(redis.commands, redis.keyPrefix, options.clock);
  return new MemoryThrottlerStorage(options.clock);
}

import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Clock } from '../clock';
import { throttlerRecord, type ThrottlerStorageRecord } from './throttler-record';

/** Bound on remembered keys, so a flood of addresses or ids cannot grow memory without end. */
const MAX_KEYS = 10_000;

interface Window {
  endsAt: number;
  hits: number;
  blockedUntil: number;
}

/**
 * Throttler's storage contract in this process's memory, on the module's clock (throttler's own
 * in-memory storage reads the system time, which tests cannot move). Fixed windows: a window starts
 * at a key's first hit; a hit past `limit` blocks the key for `blockDuration`, when hits are not counted.
 * RedisThrottlerStorage keeps the same rules in Redis.
 */
export class MemoryThrottlerStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly clock: Clock) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number): Promise<ThrottlerStorageRecord> {
    const now = this.clock.now();
    let window = this.windows.get(key);
    if (window && window.blockedUntil > now) return throttlerRecord(window, now);
    // A window that ended, or a block that ended, starts afresh.
    if (!window || window.endsAt <= now || window.blockedUntil !== 0) window = { endsAt: now + ttl, hits: 0, blockedUntil: 0 };
    window.hits++;
    if (blockDuration > 0 && window.hits > limit) window.blockedUntil = now + blockDuration;
    this.windows.delete(key); // re-insert: the Map's order is then oldest-touched first
    this.windows.set(key, window);
    while (this.windows.size > MAX_KEYS) this.windows.delete(this.windows.keys().next().value as string);
    return throttlerRecord(window, now);
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { RateLimit, RateLimitOptions, RequestLimitName, ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { TooManyRequestsError } from '../errors/oauth.error';
import { KeyedLock } from './keyed-lock';

/** Injection token of the ThrottlerStorage every counter lives in. */
export const RATE_LIMIT_STORAGE = Symbol('DEVICE_AUTH_RATE_LIMIT_STORAGE');

/** Limits that count failures only (wrong codes, wrong secrets). */
export type FailureLimit = 'wrongUserCodes' | 'wrongClientSecrets';

/** A check of a block only reads it; this limit is never reached. */
const NEVER = Number.MAX_SAFE_INTEGER;

/**
 * The one place that counts, on throttler's storage contract (`increment` only). Answers are the
 * seconds to wait (for `Retry-After`), or null when the caller may go on.
 *
 * A failure limit must refuse even a right answer once the failures reached it, yet a right answer
 * must not count. Each key therefore has two records: its failures, and a gate that only a failure
 * reaching the limit closes, until that failures' window ends. Checking the gate never closes it.
 * Attempts under one key take turns in this instance, so a burst of parallel guesses cannot all
 * pass the gate before the first failure is counted; across instances a burst gains at most one
 * guess per other instance.
 */
@Injectable()
export class RateLimits {
  private readonly limits: RateLimitOptions;
  private readonly attempts = new KeyedLock();

  constructor(
    @InjectDeviceAuthOptions() options: ResolvedDeviceAuthOptions,
    @Inject(RATE_LIMIT_STORAGE) private readonly storage: ThrottlerStorage,
  ) {
    this.limits = options.rateLimits;
  }

  /** Counts one request for `key`; over the limit, the key is refused for one window. */
  async countRequest(name: RequestLimitName, key: string): Promise<number | null> {
    const limit = this.limits[name];
    if (limit === false) return null;
    const windowMs = limit.windowSeconds * 1000;
    const record = await this.storage.increment(`${name}:${key}`, windowMs, limit.limit, windowMs, name);
    return record.isBlocked ? record.timeToBlockExpire : null;
  }

  /** countRequest for the JSON endpoints: over the limit, 429 `slow_down` with `Retry-After`. */
  async refuseOverLimit(name: RequestLimitName, key: string, what: string): Promise<void> {
    const retryAfter = await this.countRequest(name, key);
    if (retryAfter !== null) throw new TooManyRequestsError(`Too many ${what}`, retryAfter);
  }

  /**
   * Runs `attempt` (which resolves true on success) unless a key has used up its failures in the
   * current window, and counts a failure for every key when it fails. Null, or the seconds to wait.
   */
  attempt(name: FailureLimit, keys: string[], attempt: () => Promise<boolean>): Promise<number | null> {
    return this.attempts.run(
      keys.map((key) => `${name}:${key}`),
      async () => {
        const blockedFor = await this.failuresBlock(name, keys);
        if (blockedFor === null && !(await attempt())) await this.recordFailure(name, keys);
        return blockedFor;
      },
    );
  }

  private async failuresBlock(name: FailureLimit, keys: string[]): Promise<number | null> {
    const windowMs = this.limits[name].windowSeconds * 1000;
    const records = await Promise.all(keys.map((key) => this.storage.increment(this.gate(name, key), windowMs, NEVER, windowMs, name)));
    const waits = records.filter((record) => record.isBlocked).map((record) => record.timeToBlockExpire);
    return waits.length === 0 ? null : Math.max(1, ...waits);
  }

  private async recordFailure(name: FailureLimit, keys: string[]): Promise<void> {
    const limit: RateLimit = this.limits[name];
    await Promise.all(
      keys.map(async (key) => {
        const failures = await this.storage.increment(`${name}:${key}`, limit.windowSeconds * 1000, limit.limit, 0, name);
        if (failures.totalHits < limit.limit) return;
        // Closes the gate until this window of failures ends: a limit of 0 blocks at this hit.
        await this.storage.increment(this.gate(name, key), limit.windowSeconds * 1000, 0, failures.timeToExpire * 1000, name);
      }),
    );
  }

  private gate(name: FailureLimit, key: string): string {
    return `${name}:gate:${key}`;
  }
}

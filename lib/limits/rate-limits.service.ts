import { Inject, Injectable } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { RateLimit, RateLimitOptions, RequestLimitName, ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { TooManyRequestsError } from '../errors/oauth.error';
import { clientAddress } from '../http/client-address';
import type { DeviceAuthRequest } from '../protocol/device-auth-request';
import { KeyedLock } from '../storage/keyed-lock';

/** Injection token of the ThrottlerStorage every counter lives in. */
export const RATE_LIMIT_STORAGE = Symbol('DEVICE_AUTH_RATE_LIMIT_STORAGE');

/** Limits that count failures only (wrong codes, wrong secrets). */
export type FailureLimit = 'wrongUserCodes' | 'wrongUserCodesPerIp' | 'wrongClientSecrets';

/** One failure counter: a limit and whom it counts (a user, an address, a client). */
export interface FailureCounter {
  limit: FailureLimit;
  key: string;
}

/** A counter whose limit is on. */
interface CountedFailures {
  name: FailureLimit;
  key: string;
  limit: RateLimit;
}

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
  private readonly rateLimitKey: (request: DeviceAuthRequest) => string | null | Promise<string | null>;

  constructor(
    @InjectDeviceAuthOptions() options: ResolvedDeviceAuthOptions,
    @Inject(RATE_LIMIT_STORAGE) private readonly storage: ThrottlerStorage,
  ) {
    this.limits = options.rateLimits;
    this.rateLimitKey = options.rateLimitKey ?? clientAddress;
  }

  /** Whom the per-address limits count for this request: the `rateLimitKey` hook's answer, by default the address. */
  async clientKey(request: DeviceAuthRequest): Promise<string> {
    return (await this.rateLimitKey(request)) || 'unknown';
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
   * Runs `attempt` (which resolves true on success) unless a counter has used up its failures in the
   * current window, and counts a failure on every counter when it fails. A counter whose limit is
   * turned off (`false`) is left out. Null, or the seconds to wait.
   */
  attempt(counters: FailureCounter[], attempt: () => Promise<boolean>): Promise<number | null> {
    const counted = counters.flatMap(({ limit: name, key }): CountedFailures[] => {
      const limit = this.limits[name];
      return limit === false ? [] : [{ name, key, limit }];
    });
    return this.attempts.run(
      counted.map(({ name, key }) => `${name}:${key}`),
      async () => {
        const blockedFor = await this.failuresBlock(counted);
        if (blockedFor === null && !(await attempt())) await this.recordFailure(counted);
        return blockedFor;
      },
    );
  }

  private async failuresBlock(counters: CountedFailures[]): Promise<number | null> {
    const records = await Promise.all(
      counters.map(({ name, key, limit }) => {
        const windowMs = limit.windowSeconds * 1000;
        return this.storage.increment(this.gate(name, key), windowMs, NEVER, windowMs, name);
      }),
    );
    const waits = records.filter((record) => record.isBlocked).map((record) => record.timeToBlockExpire);
    return waits.length === 0 ? null : Math.max(1, ...waits);
  }

  private async recordFailure(counters: CountedFailures[]): Promise<void> {
    await Promise.all(
      counters.map(async ({ name, key, limit }) => {
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

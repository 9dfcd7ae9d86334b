import type { ThrottlerStorage } from '@nestjs/throttler';

/** What a ThrottlerStorage answers (throttler does not export the type by name). */
export type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

const wholeSeconds = (millis: number): number => Math.max(0, Math.ceil(millis / 1000));

/** Throttler's answer for a key's window at `now`: times in whole seconds, as its guard expects. */
export function throttlerRecord(window: { endsAt: number; hits: number; blockedUntil: number }, now: number): ThrottlerStorageRecord {
  const isBlocked = window.blockedUntil > now;
  return {
    totalHits: window.hits,
    timeToExpire: wholeSeconds(window.endsAt - now),
    isBlocked,
    timeToBlockExpire: isBlocked ? wholeSeconds(window.blockedUntil - now) : 0,
  };
}

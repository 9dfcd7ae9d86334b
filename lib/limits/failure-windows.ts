import { Clock } from '../clock';

/** Bound on remembered keys, so a flood of addresses or ids cannot grow memory without end. */
const MAX_KEYS = 10_000;

interface Window {
  startedAt: number;
  failures: number;
}

/**
 * Counts failures (wrong codes, wrong secrets) per key in fixed windows. Only failures count, and
 * a success does not reset them: once a key reaches the limit, everything it tries is refused
 * until its window ends. Kept in this process's memory.
 */
export class FailureWindows {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly clock: Clock,
    private readonly maxFailures: number,
    private readonly windowMs: number,
  ) {}

  isLimited(keys: string[]): boolean {
    return keys.some((key) => (this.current(key)?.failures ?? 0) >= this.maxFailures);
  }

  /** Whole seconds until every limited key's window has ended (for `Retry-After`). */
  retryAfterSeconds(keys: string[]): number {
    const limited = keys
      .map((key) => this.current(key))
      .filter((window): window is Window => window !== undefined && window.failures >= this.maxFailures);
    const latestEnd = Math.max(...limited.map((window) => window.startedAt + this.windowMs));
    return Math.max(1, Math.ceil((latestEnd - this.clock.now()) / 1000));
  }

  recordFailure(keys: string[]): void {
    for (const key of keys) {
      const window = this.current(key) ?? { startedAt: this.clock.now(), failures: 0 };
      window.failures++;
      this.windows.delete(key); // re-insert: the Map's order is then oldest-touched first
      this.windows.set(key, window);
    }
    while (this.windows.size > MAX_KEYS) this.windows.delete(this.windows.keys().next().value as string);
  }

  private current(key: string): Window | undefined {
    const window = this.windows.get(key);
    if (window && this.clock.now() - window.startedAt >= this.windowMs) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }
}

import { Injectable } from '@nestjs/common';
import { Clock } from '../clock';
import { InjectClock } from '../options/inject-clock.decorator';

/** Wrong user codes allowed per user and per IP in one window. */
const MAX_WRONG_GUESSES = 10;
const WINDOW_MS = 15 * 60 * 1000;
/** Bound on remembered keys, so a flood of addresses cannot grow memory without end. */
const MAX_KEYS = 10_000;

interface Window {
  startedAt: number;
  wrongGuesses: number;
}

/**
 * Limits brute force of the short user codes (RFC 8628 §5.1). Counts only wrong guesses, and a
 * right one does not reset them. Kept in this process's memory.
 */
@Injectable()
export class GuessLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(@InjectClock() private readonly clock: Clock) {}

  isLimited(keys: string[]): boolean {
    return keys.some((key) => (this.current(key)?.wrongGuesses ?? 0) >= MAX_WRONG_GUESSES);
  }

  recordWrongGuess(keys: string[]): void {
    for (const key of keys) {
      const window = this.current(key) ?? { startedAt: this.clock.now(), wrongGuesses: 0 };
      window.wrongGuesses++;
      this.windows.delete(key); // re-insert: the Map's order is then oldest-touched first
      this.windows.set(key, window);
    }
    while (this.windows.size > MAX_KEYS) this.windows.delete(this.windows.keys().next().value as string);
  }

  private current(key: string): Window | undefined {
    const window = this.windows.get(key);
    if (window && this.clock.now() - window.startedAt >= WINDOW_MS) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }
}

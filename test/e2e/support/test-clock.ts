import type { Clock } from '../../../lib';

/** A clock the test moves by hand, so expiry and polling intervals need no sleeping. */
export class TestClock implements Clock {
  private current = Date.UTC(2026, 0, 1, 12, 0, 0);

  now(): number {
    return this.current;
  }

  advance(seconds: number): void {
    this.current += seconds * 1000;
  }
}

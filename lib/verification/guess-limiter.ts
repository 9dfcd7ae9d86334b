import { Injectable } from '@nestjs/common';
import { Clock } from '../clock';
import { FailureWindows } from '../limits/failure-windows';
import { InjectClock } from '../options/inject-clock.decorator';

/** Wrong user codes allowed per user and per IP in one window. */
const MAX_WRONG_GUESSES = 10;
const WINDOW_MS = 15 * 60 * 1000;

/** Limits brute force of the short user codes (RFC 8628 §5.1): wrong guesses per user and per IP. */
@Injectable()
export class GuessLimiter extends FailureWindows {
  constructor(@InjectClock() clock: Clock) {
    super(clock, MAX_WRONG_GUESSES, WINDOW_MS);
  }
}

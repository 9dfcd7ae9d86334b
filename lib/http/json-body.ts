import type { DeviceAuthRequest } from '../protocol/device-auth-request';
import { hasMediaType } from '../protocol/media-type';

/** What a UTF-8 decoder puts where the bytes were not UTF-8 (Express's and Fastify's parsers both do). */
const REPLACEMENT_CHARACTER = '\uFFFD';

/** Whether any string of a parsed JSON value, keys included, holds U+FFFD. A loop, not recursion: the nesting is the client's. */
function holdsReplacementCharacter(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') {
      if (next.includes(REPLACEMENT_CHARACTER)) return true;
    } else if (next !== null && typeof next === 'object') {
      for (const [key, member] of Object.entries(next)) pending.push(key, member);
    }
  }
  return false;
}

/**
 * Whether the body is JSON in UTF-8 (RFC 8259 §8.1): declared so, and not decoded from bytes that
 * were not. Parsers replace those with U+FFFD rather than refuse; a name of `����` is no name the
 * client meant, so a body holding one is refused like a body in another charset.
 */
export const isJsonBody = (request: DeviceAuthRequest): boolean =>
  hasMediaType(request, 'application/json') && !holdsReplacementCharacter(request.body);

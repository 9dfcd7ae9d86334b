import { CONTROL_CHARACTER } from '../http/control-characters';

/** The width of the name column; users read the name on the consent and verification pages. */
const NAME_MAX_LENGTH = 200;

/**
 * Why `name` cannot name an app, or null when it can: users read it on the approval pages, so it
 * must say something, fit its column, and hold no control character. Worded to follow the field's name.
 */
export function clientNameProblem(name: string): string | null {
  if (!name.trim()) return 'is required';
  if (name.length > NAME_MAX_LENGTH) return `must be at most ${NAME_MAX_LENGTH} characters`;
  if (CONTROL_CHARACTER.test(name)) return 'must not contain control characters';
  return null;
}

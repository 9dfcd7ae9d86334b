/** Any control character (C0, DEL, C1): refused in names and in values echoed into URLs. */
export const CONTROL_CHARACTER = /\p{Cc}/u;

const CONTROL_CHARACTERS = /\p{Cc}+/gu;

/**
 * Text the module did not write (a body parser's error message) made fit to quote in a JSON
 * body: each run of control characters becomes one space, and it is cut to `maxLength` code
 * points, never inside a surrogate pair. It still goes in no header: see CHALLENGE_DESCRIPTIONS.
 */
export function quotable(text: string, maxLength: number): string {
  const codePoints = Array.from(text.replace(CONTROL_CHARACTERS, ' '));
  return codePoints.length <= maxLength ? codePoints.join('') : codePoints.slice(0, maxLength - 1).join('') + '…';
}

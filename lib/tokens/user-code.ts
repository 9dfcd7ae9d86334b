import { randomInt } from 'node:crypto';
import type { DeviceCodeOptions } from '../options/device-auth-options.interface';

type UserCodeShape = Pick<DeviceCodeOptions, 'userCodeCharset' | 'userCodeLength' | 'userCodeMask'>;

/** A fresh user code in its canonical form: upper case, no separators. */
export function generateUserCode(shape: UserCodeShape): string {
  let code = '';
  for (let i = 0; i < shape.userCodeLength; i++) code += shape.userCodeCharset[randomInt(shape.userCodeCharset.length)];
  return code;
}

/** The canonical code shown through the mask, e.g. `BCDF-GHJK`. */
export function formatUserCode(code: string, shape: UserCodeShape): string {
  let position = 0;
  return shape.userCodeMask.replace(/X/g, () => code[position++] ?? '');
}

/**
 * What the user typed → the canonical code, or null when it cannot be one. Case, dashes and
 * spaces are ignored; anything outside printable ASCII is refused rather than folded, so
 * look-alikes (full-width letters, `ſ`, zero-width or right-to-left marks) never match a code.
 */
export function normalizeUserCode(input: string, shape: UserCodeShape): string | null {
  if (input.length > 64 || !/^[\x20-\x7E]*$/.test(input)) return null;
  const code = input.replace(/[\s-]/g, '').toUpperCase();
  if (code.length !== shape.userCodeLength) return null;
  for (const character of code) if (!shape.userCodeCharset.includes(character)) return null;
  return code;
}

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
 * What people type between the halves: spaces (a no-break space from a phone or Option-Space too),
 * the ASCII hyphen and the dashes a keyboard or an autocorrect substitutes for it (U+2010 hyphen,
 * U+2011 non-breaking hyphen, U+2012 figure dash, U+2013 en dash, U+2014 em dash, U+2015 horizontal
 * bar, U+2212 minus), and a dot or middle dot. None of them looks like a letter of a code.
 */
const SEPARATORS = /[ \u00A0\u202F\-\u2010-\u2015\u2212.\u00B7]/g;

/**
 * What the user typed → the canonical code, or null when it cannot be one. Case and separators are
 * ignored; any other character outside printable ASCII is refused rather than folded, so look-alikes
 * (full-width letters, `ſ`, `ß`, zero-width or right-to-left marks) never match a code.
 */
export function normalizeUserCode(input: string, shape: UserCodeShape): string | null {
  if (input.length > 64) return null;
  const code = input.replace(SEPARATORS, '');
  if (!/^[\x21-\x7E]*$/.test(code)) return null;
  const canonical = code.toUpperCase();
  if (canonical.length !== shape.userCodeLength) return null;
  for (const character of canonical) if (!shape.userCodeCharset.includes(character)) return null;
  return canonical;
}

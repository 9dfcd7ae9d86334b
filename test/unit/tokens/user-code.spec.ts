import { DEFAULT_DEVICE_CODE } from '../../../lib/options/defaults';
import { formatUserCode, generateUserCode, normalizeUserCode } from '../../../lib/tokens/user-code';

const shape = DEFAULT_DEVICE_CODE;

describe('user codes', () => {
  it('are 8 characters of the consonant charset, shown as XXXX-XXXX', () => {
    for (let i = 0; i < 200; i++) {
      const code = generateUserCode(shape);
      expect(code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{8}$/);
      expect(formatUserCode(code, shape)).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    }
  });

  it('use every character of the charset', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) for (const character of generateUserCode(shape)) seen.add(character);
    expect(seen.size).toBe(shape.userCodeCharset.length);
  });

  it.each(['BCDF-GHJK', 'bcdf-ghjk', 'BCDFGHJK', ' bcdf ghjk ', 'Bc-Df-Gh-Jk'])('normalises %j to the canonical code', (typed) => {
    expect(normalizeUserCode(typed, shape)).toBe('BCDFGHJK');
  });

  it.each([
    ['full-width letters', 'ＢＣＤＦ-ＧＨＪＫ'],
    ['long s', 'ſCDF-GHJK'],
    ['sharp s', 'ßCDF-GHJK'],
    ['a zero-width space', 'BCDF\u200B-GHJK'],
    ['a right-to-left mark', '\u200FBCDF-GHJK'],
    ['a vowel', 'ACDF-GHJK'],
    ['a digit', '1CDF-GHJK'],
    ['too few characters', 'BCDF-GHJ'],
    ['too many characters', 'BCDF-GHJKL'],
    ['an empty value', ''],
    ['a very long value', 'B'.repeat(1000)],
  ])('refuses %s', (_label, typed) => {
    expect(normalizeUserCode(typed, shape)).toBeNull();
  });

  it('formats through a custom mask', () => {
    expect(formatUserCode('ABCDEF', { ...shape, userCodeLength: 6, userCodeMask: 'XXX XXX' })).toBe('ABC DEF');
  });
});

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
    ['a hyphen (U+2010)', '\u2010'],
    ['a non-breaking hyphen (U+2011)', '\u2011'],
    ['a figure dash (U+2012)', '\u2012'],
    ['an en dash (U+2013)', '\u2013'],
    ['an em dash (U+2014)', '\u2014'],
    ['a horizontal bar (U+2015)', '\u2015'],
    ['a minus sign (U+2212)', '\u2212'],
    ['a dot', '.'],
    ['a middle dot (U+00B7)', '\u00B7'],
    ['a space', ' '],
    ['a no-break space (U+00A0)', '\u00A0'],
    ['a narrow no-break space (U+202F)', '\u202F'],
    ['a dash between spaces', ' \u2013 '],
  ])('accepts %s between the halves', (_label, separator) => {
    expect(normalizeUserCode(`bcdf${separator}ghjk`, shape)).toBe('BCDFGHJK');
  });

  it.each([
    ['full-width letters', 'ＢＣＤＦ-ＧＨＪＫ'],
    ['long s', 'ſCDF-GHJK'],
    ['sharp s', 'ßCDF-GHJK'],
    ['a zero-width space', 'BCDF\u200B-GHJK'],
    ['a right-to-left mark', '\u200FBCDF-GHJK'],
    ['a zero-width joiner between the halves', 'BCDF\u200DGHJK'],
    ['a left-to-right override between the halves', 'BCDF\u202DGHJK'],
    ['a full-width hyphen between full-width halves', 'ＢＣＤＦ－ＧＨＪＫ'],
    ['a tab between the halves', 'BCDF\tGHJK'],
    ['an underscore between the halves', 'BCDF_GHJK'],
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

import { generateToken, hasValidChecksum } from '../../../lib/tokens/random-token';
import { TOKEN_PREFIX } from '../../../lib/protocol/token-prefixes';

describe('prefixed tokens with a CRC32 checksum', () => {
  it('are the prefix, 30 base62 characters (≥160 bits) and a 6-character checksum', () => {
    const token = generateToken(TOKEN_PREFIX.deviceCode);
    expect(token).toMatch(/^bdc_[0-9A-Za-z]{36}$/);
    expect(30 * Math.log2(62)).toBeGreaterThanOrEqual(160);
  });

  it('are unique', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => generateToken('brt_')));
    expect(tokens.size).toBe(1000);
  });

  it('pass their own checksum', () => {
    for (let i = 0; i < 100; i++) expect(hasValidChecksum(generateToken('brt_'), 'brt_')).toBe(true);
  });

  it('fail the checksum when any character changes', () => {
    const token = generateToken('brt_');
    for (let position = 4; position < token.length; position++) {
      const replacement = token[position] === 'a' ? 'b' : 'a';
      expect(hasValidChecksum(token.slice(0, position) + replacement + token.slice(position + 1), 'brt_')).toBe(false);
    }
  });

  it('fail with another prefix, another length or non-base62 characters', () => {
    const token = generateToken('brt_');
    expect(hasValidChecksum(token, 'bdc_')).toBe(false);
    expect(hasValidChecksum(token + 'a', 'brt_')).toBe(false);
    expect(hasValidChecksum(token.slice(0, -1), 'brt_')).toBe(false);
    expect(hasValidChecksum('brt_' + '-'.repeat(36), 'brt_')).toBe(false);
  });
});

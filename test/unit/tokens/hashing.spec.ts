import { hmacHex, safeEqual, sha256Hex } from '../../../lib/tokens/hashing';

describe('hashing', () => {
  it('digests with SHA-256 as 64 hex digits (the RFC 6234 test vector)', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('keys the HMAC: another key gives another digest', () => {
    const a = hmacHex(Buffer.alloc(32, 1), 'BCDFGHJK');
    const b = hmacHex(Buffer.alloc(32, 2), 'BCDFGHJK');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
    expect(hmacHex(Buffer.alloc(32, 1), 'BCDFGHJK')).toBe(a);
  });

  it('compares strings of any length without throwing', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
  });
});

import { CODE_VERIFIER_SHAPE, s256Challenge, S256_CHALLENGE_SHAPE } from '../../../lib/protocol/pkce';

/** RFC 7636 Appendix B: the verifier of its 32 example octets, and that verifier's S256 challenge. */
const RFC_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const RFC_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

describe('PKCE S256 (RFC 7636)', () => {
  it('gives the challenge of Appendix B for its verifier', () => {
    expect(s256Challenge(RFC_VERIFIER)).toBe(RFC_CHALLENGE);
  });

  it('accepts verifiers of 43 to 128 unreserved characters only, and 43-character challenges', () => {
    expect(CODE_VERIFIER_SHAPE.test(RFC_VERIFIER)).toBe(true);
    expect(CODE_VERIFIER_SHAPE.test('a'.repeat(128))).toBe(true);
    expect(CODE_VERIFIER_SHAPE.test('a'.repeat(42))).toBe(false);
    expect(CODE_VERIFIER_SHAPE.test('a'.repeat(129))).toBe(false);
    expect(CODE_VERIFIER_SHAPE.test('a'.repeat(42) + '+')).toBe(false);
    expect(S256_CHALLENGE_SHAPE.test(RFC_CHALLENGE)).toBe(true);
    expect(S256_CHALLENGE_SHAPE.test(RFC_CHALLENGE + 'A')).toBe(false);
  });
});

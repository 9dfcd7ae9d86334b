import { quotable } from '../../../lib/http/control-characters';

describe('quotable: text the module did not write, made fit for a JSON body', () => {
  it('turns each run of control characters into one space', () => {
    expect(quotable('a\r\n\u0000b\u0085c\td', 100)).toBe('a b c d');
  });

  it('keeps other text as it is, Unicode included', () => {
    expect(quotable("Unexpected token '絻'", 100)).toBe("Unexpected token '絻'");
  });

  it('cuts at a number of code points, never inside a surrogate pair, and says it cut', () => {
    expect(quotable('😀'.repeat(10), 4)).toBe('😀😀😀…');
    expect(Array.from(quotable('x'.repeat(500), 200))).toHaveLength(200);
    expect(quotable('x'.repeat(200), 200)).toBe('x'.repeat(200));
  });
});

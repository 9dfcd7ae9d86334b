import { validateHeaderValue } from 'node:http';
import { locationHeader } from '../../../lib/http/location';

describe('locationHeader: a redirect target as Express and Fastify both send it', () => {
  it.each([
    ['a URL as new URL() writes it', 'https://app.example/cb?code=a%20b&state=x#f', 'https://app.example/cb?code=a%20b&state=x#f'],
    ['a path with letters outside ASCII', '/anmelden/über?next=/o/device', '/anmelden/%C3%BCber?next=/o/device'],
    ['text outside Latin-1', '/login?next=/絻', '/login?next=/%E7%B5%BB'],
    ['CR/LF and spaces', '/login?next=/a\r\nSet-Cookie: x', '/login?next=/a%0D%0ASet-Cookie:%20x'],
    ['a % that starts no escape', '/a%zz%2', '/a%25zz%252'],
    ['a lone surrogate', '/a\ud800b', '/a%EF%BF%BDb'],
    ['quotes and angle brackets', '/a"<b>', '/a%22%3Cb%3E'],
  ])('%s', (_label, location, sent) => {
    expect(locationHeader(location)).toBe(sent);
    expect(locationHeader(sent)).toBe(sent);
    expect(() => validateHeaderValue('Location', sent)).not.toThrow();
    expect(sent).toMatch(/^[\x21-\x7e]*$/);
  });
});

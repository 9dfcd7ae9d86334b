import { isRegisteredRedirectUri, redirectUriProblem } from '../../../lib/clients/redirect-uri';

describe('redirect URIs (RFC 6749 §3.1.2, RFC 8252 §7.3 and §8.3, RFC 9700 §2.1)', () => {
  it.each(['https://app.example.com/callback', 'http://127.0.0.1/callback', 'http://[::1]:8080/cb'])('registers %s', (uri) => {
    expect(redirectUriProblem(uri)).toBeNull();
  });

  it.each([
    ['not a URL', 'callback', /not an absolute URL/],
    ['a fragment', 'https://app.example.com/cb#x', /fragment/],
    ['credentials', 'https://user:pw@app.example.com/cb', /credentials/],
    ['plain http elsewhere', 'http://app.example.com/cb', /must use https/],
    ['localhost', 'http://localhost:8080/cb', /RFC 8252 §8.3/],
    ['another scheme', 'javascript:alert(1)', /must use https/],
  ])('refuses %s', (_label, uri, problem) => {
    expect(redirectUriProblem(uri)).toMatch(problem);
  });

  const registered = ['https://app.example.com/callback', 'http://127.0.0.1/callback', 'http://[::1]/callback'];

  it('matches exactly, except the port of a loopback redirect', () => {
    expect(isRegisteredRedirectUri(registered, 'https://app.example.com/callback')).toBe(true);
    expect(isRegisteredRedirectUri(registered, 'http://127.0.0.1:53123/callback')).toBe(true);
    expect(isRegisteredRedirectUri(registered, 'http://[::1]:40000/callback')).toBe(true);
  });

  it.each([
    'https://app.example.com/callback/',
    'https://app.example.com/callback?x=1',
    'https://app.example.com:8443/callback',
    'https://APP.example.com/callback',
    'http://127.0.0.1:53123/other',
    'http://127.0.0.1:53123/callback?next=https://evil.example',
    'http://localhost:53123/callback',
    'https://127.0.0.1:53123/callback',
    'http://127.0.0.1:53123/callback/../callback',
    'not a url',
  ])('refuses %s', (presented) => {
    expect(isRegisteredRedirectUri(registered, presented)).toBe(false);
  });
});

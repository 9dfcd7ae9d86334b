import { clientIdUrlProblem, looksLikeClientIdUrl } from '../../../../lib/clients/metadata-documents/client-id-url';

describe('client ID URLs (draft-ietf-oauth-client-id-metadata-document §3)', () => {
  it.each(['https://agent.example.com/client.json', 'https://agent.example.com:8443/oauth/client?v=1', 'https://agent.example.com/'])(
    'accepts %s',
    (url) => {
      expect(clientIdUrlProblem(url, false)).toBeNull();
    },
  );

  it.each([
    ['http', 'http://agent.example.com/client.json', /must use https/],
    ['http on this machine without allowPrivateAddresses', 'http://127.0.0.1:8080/client.json', /must use https/],
    ['no path', 'https://agent.example.com', /must contain a path/],
    ['credentials', 'https://user:pw@agent.example.com/client.json', /credentials/],
    ['an empty user', 'https://@agent.example.com/client.json', /credentials/],
    ['a fragment', 'https://agent.example.com/client.json#x', /fragment/],
    ['a dot segment', 'https://agent.example.com/oauth/./client.json', /\. or \.\. segments/],
    ['a double-dot segment', 'https://agent.example.com/oauth/../client.json', /\. or \.\. segments/],
    ['an encoded dot segment', 'https://agent.example.com/oauth/%2E%2e/client.json', /\. or \.\. segments/],
    ['not a URL', 'https://', /not a valid URL/],
    ['256 characters', `https://agent.example.com/${'x'.repeat(230)}`, /at most 255 characters/],
  ])('refuses %s', (_label, url, problem) => {
    expect(clientIdUrlProblem(url, false)).toMatch(problem);
  });

  it('accepts http on this machine only with allowPrivateAddresses, and never elsewhere', () => {
    expect(clientIdUrlProblem('http://127.0.0.1:8080/client.json', true)).toBeNull();
    expect(clientIdUrlProblem('http://[::1]:8080/client.json', true)).toBeNull();
    expect(clientIdUrlProblem('http://agent.example.com/client.json', true)).toMatch(/must use https/);
    expect(clientIdUrlProblem('ftp://127.0.0.1/client.json', true)).toMatch(/must use https/);
  });

  it('is told apart from a registered client id, which cannot contain a colon', () => {
    expect(looksLikeClientIdUrl('https://agent.example.com/client.json')).toBe(true);
    expect(looksLikeClientIdUrl('HTTP://127.0.0.1/client.json')).toBe(true);
    expect(looksLikeClientIdUrl('sample-cli')).toBe(false);
  });
});

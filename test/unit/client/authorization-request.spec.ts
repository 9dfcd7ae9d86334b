import { authorizationUrl, createAuthorizationSecrets } from '../../../lib/client/authorization-request';

/** RFC 7636 §4.1: 43 to 128 unreserved characters. */
const VERIFIER_SHAPE = /^[A-Za-z0-9\-._~]{43,128}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

describe('createAuthorizationSecrets', () => {
  it('makes a verifier RFC 7636 accepts and a state of at least 128 bits, both base64url, fresh every time', () => {
    const first = createAuthorizationSecrets();
    const second = createAuthorizationSecrets();
    for (const secrets of [first, second]) {
      expect(secrets.codeVerifier).toMatch(VERIFIER_SHAPE);
      expect(secrets.state).toMatch(BASE64URL);
      expect(Buffer.from(secrets.state, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    }
    expect(second.state).not.toBe(first.state);
    expect(second.codeVerifier).not.toBe(first.codeVerifier);
    expect(first.state).not.toBe(first.codeVerifier);
  });
});

/** RFC 7636 Appendix B: the verifier of its 32 example octets, and that verifier's S256 challenge. */
const RFC_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const RFC_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

describe('authorizationUrl', () => {
  const secrets = { state: 'the-state', codeVerifier: RFC_VERIFIER };
  const parameters = {
    authorizationEndpoint: 'https://api.example.com/o/authorize/',
    clientId: 'acme-cli',
    redirectUri: 'http://127.0.0.1:49152/callback',
    scope: 'user:read listings:read',
  };

  it('asks for a code with the client, redirect URI, scope, state and the S256 challenge (never the verifier)', () => {
    const url = new URL(authorizationUrl(parameters, secrets));
    expect(url.origin + url.pathname).toBe('https://api.example.com/o/authorize/');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'acme-cli',
      redirect_uri: 'http://127.0.0.1:49152/callback',
      scope: 'user:read listings:read',
      state: 'the-state',
      code_challenge: RFC_CHALLENGE,
      code_challenge_method: 'S256',
    });
    expect(url.toString()).not.toContain(secrets.codeVerifier);
  });

  it('leaves out the scope when none is asked for, and keeps a query the endpoint already has', () => {
    const url = new URL(
      authorizationUrl(
        { ...parameters, scope: undefined, authorizationEndpoint: 'https://api.example.com/authorize?tenant=acme' },
        secrets,
      ),
    );
    expect(url.searchParams.has('scope')).toBe(false);
    expect(url.searchParams.get('tenant')).toBe('acme');
    expect(url.searchParams.get('response_type')).toBe('code');
  });
});

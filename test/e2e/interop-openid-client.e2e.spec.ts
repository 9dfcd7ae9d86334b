import * as client from 'openid-client';
import * as oauth from 'oauth4webapi';
import { kitFetch, listenForKit } from './support/client-kit';
import { AUTHORIZE_PATH, consent, LOOPBACK_CALLBACK } from './support/code-flow';
import { signedInBrowser } from './support/device-flow';
import { ISSUER, useTestApp } from './support/test-app';
import { present } from './support/present';

const REDIRECT_URI = LOOPBACK_CALLBACK.replace('127.0.0.1', '127.0.0.1:49152');

/** The consent page in a signed-in browser, for the URL a client library built; answers the redirect back to the app. */
async function approveInBrowser(testApp: Parameters<typeof signedInBrowser>[0], authorizationUrl: URL): Promise<URL> {
  expect(authorizationUrl.pathname).toBe(AUTHORIZE_PATH);
  const back = await consent(await signedInBrowser(testApp, 'alice'), Object.fromEntries(authorizationUrl.searchParams), 'approve');
  return new URL(back.headers.location);
}

/**
 * Real third-party OpenID Connect clients, unmodified, sign in through the code flow with PKCE and
 * validate our ID tokens and userinfo. They run in the test's own time: their clocks are skewed to the TestClock.
 */
describe('interoperability: OpenID Connect code flow', () => {
  const testApp = useTestApp();
  let fetchThroughApp: typeof fetch;
  let skew: number;

  beforeAll(async () => {
    fetchThroughApp = kitFetch(await listenForKit(testApp));
    skew = Math.round((testApp.clock.now() - Date.now()) / 1000);
  });

  it('openid-client: discovery, authorizationCodeGrant with PKCE, ID token claims, fetchUserInfo', async () => {
    const config = await client.discovery(new URL(ISSUER), 'sample-cli', { [client.clockSkew]: skew }, client.None(), {
      execute: [client.allowInsecureRequests],
      [client.customFetch]: fetchThroughApp,
    });
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const authorizationUrl = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid profile email',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    const callback = await approveInBrowser(testApp, authorizationUrl);

    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    const claims = present(tokens.claims(), 'ID token claims');
    const alice = await testApp.userId('alice');
    expect(claims).toMatchObject({ iss: ISSUER, sub: alice, aud: 'sample-cli', nonce });
    const profile = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(profile).toEqual({ sub: alice, name: 'Alice', preferred_username: 'alice', email: 'alice@example.com', email_verified: true });
  });

  it('oauth4webapi: OIDC discovery, code grant with PKCE and nonce, ID token validation, userinfo', async () => {
    const options = { [oauth.customFetch]: fetchThroughApp, [oauth.allowInsecureRequests]: true };
    const as = await oauth.processDiscoveryResponse(
      new URL(ISSUER),
      await oauth.discoveryRequest(new URL(ISSUER), { ...options, algorithm: 'oidc' }),
    );
    const app: oauth.Client = { client_id: 'sample-cli', [oauth.clockSkew]: skew };
    const verifier = oauth.generateRandomCodeVerifier();
    const nonce = oauth.generateRandomNonce();
    const authorizationUrl = new URL(present(as.authorization_endpoint, 'an authorization endpoint'));
    for (const [name, value] of Object.entries({
      response_type: 'code',
      client_id: 'sample-cli',
      redirect_uri: REDIRECT_URI,
      scope: 'openid profile',
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      nonce,
    }))
      authorizationUrl.searchParams.set(name, value);
    const callback = await approveInBrowser(testApp, authorizationUrl);

    const parameters = oauth.validateAuthResponse(as, app, callback, oauth.expectNoState);
    const response = await oauth.authorizationCodeGrantRequest(as, app, oauth.None(), parameters, REDIRECT_URI, verifier, options);
    const tokens = await oauth.processAuthorizationCodeResponse(as, app, response, { expectedNonce: nonce, requireIdToken: true });
    const claims = present(oauth.getValidatedIdTokenClaims(tokens), 'ID token claims');
    expect(claims).toMatchObject({ iss: ISSUER, sub: await testApp.userId('alice'), aud: 'sample-cli', nonce });
    const userinfo = await oauth.processUserInfoResponse(
      as,
      app,
      claims.sub,
      await oauth.userInfoRequest(as, app, tokens.access_token, options),
    );
    expect(userinfo).toMatchObject({ sub: claims.sub, name: 'Alice' });
  });
});

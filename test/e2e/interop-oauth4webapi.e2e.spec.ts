import * as oauth from 'oauth4webapi';
import { kitFetch, listenForKit } from './support/client-kit';
import { decideInBrowser, signedInBrowser } from './support/device-flow';
import { ISSUER, useTestApp } from './support/test-app';
import { present } from './support/present';
import { registerResourceServer } from './support/resource-server';

/**
 * A third-party client, oauth4webapi (strict about RFC 8414, 8628, 6749, 7009, 7662 and 9068),
 * talks to the sample app. It runs in the test's own time: its clock is skewed to the TestClock.
 */
describe('interoperability with oauth4webapi', () => {
  const testApp = useTestApp();
  let options: { [oauth.customFetch]: (url: string, init: RequestInit) => Promise<Response>; [oauth.allowInsecureRequests]: boolean };
  let as: oauth.AuthorizationServer;
  let client: oauth.Client;

  beforeAll(async () => {
    const baseUrl = await listenForKit(testApp);
    // The server calls itself http://localhost:3000; plain http is allowed here because it is local.
    options = { [oauth.customFetch]: kitFetch(baseUrl), [oauth.allowInsecureRequests]: true };
    as = await oauth.processDiscoveryResponse(
      new URL(ISSUER),
      await oauth.discoveryRequest(new URL(ISSUER), { ...options, algorithm: 'oauth2' }),
    );
    client = { client_id: 'sample-cli', [oauth.clockSkew]: Math.round((testApp.clock.now() - Date.now()) / 1000) };
  });

  async function deviceTokens(scope: string): Promise<oauth.TokenEndpointResponse> {
    const start = await oauth.processDeviceAuthorizationResponse(
      as,
      client,
      await oauth.deviceAuthorizationRequest(as, client, oauth.None(), { scope }, options),
    );
    const pending = oauth.deviceCodeGrantRequest(as, client, oauth.None(), start.device_code, options);
    await expect(oauth.processDeviceCodeResponse(as, client, await pending)).rejects.toMatchObject({ error: 'authorization_pending' });
    await decideInBrowser(await signedInBrowser(testApp, 'alice'), start.user_code, 'approve');
    testApp.clock.advance(start.interval ?? 5);
    return oauth.processDeviceCodeResponse(
      as,
      client,
      await oauth.deviceCodeGrantRequest(as, client, oauth.None(), start.device_code, options),
    );
  }

  it('accepts the metadata document', () => {
    expect(as.issuer).toBe(ISSUER);
    expect(as.device_authorization_endpoint).toBe(`${ISSUER}/o/device-authorization/`);
  });

  it('completes the device flow, and validates the access token as an RFC 9068 JWT against the JWKS', async () => {
    const tokens = await deviceTokens('user:read listings:read');
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.scope).toBe('user:read listings:read');
    const call = new Request(`${ISSUER}/api/v1/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    const claims = await oauth.validateJwtAccessToken(as, call, ISSUER, { ...options, [oauth.clockSkew]: client[oauth.clockSkew] });
    expect(claims).toMatchObject({
      iss: ISSUER,
      client_id: 'sample-cli',
      sub: await testApp.userId('alice'),
      scope: 'user:read listings:read',
    });
  });

  it('refreshes, revokes, and introspects as a resource server', async () => {
    const tokens = await deviceTokens('user:read');
    const rotated = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, oauth.None(), present(tokens.refresh_token, 'a refresh token'), options),
    );
    expect(rotated.refresh_token).not.toBe(tokens.refresh_token);

    const { secret: clientSecret } = await registerResourceServer(testApp);
    const resourceServer: oauth.Client = { client_id: 'listings-api' };
    const introspect = async (token: string) =>
      oauth.processIntrospectionResponse(
        as,
        resourceServer,
        await oauth.introspectionRequest(as, resourceServer, oauth.ClientSecretBasic(clientSecret), token, options),
      );
    expect(await introspect(rotated.access_token)).toMatchObject({ active: true, client_id: 'sample-cli', scope: 'user:read' });

    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, client, oauth.None(), present(rotated.refresh_token, 'a rotated refresh token'), options),
    );
    expect(await introspect(rotated.access_token)).toEqual({ active: false });
    await expect(
      oauth.processRefreshTokenResponse(
        as,
        client,
        await oauth.refreshTokenGrantRequest(as, client, oauth.None(), present(rotated.refresh_token, 'a rotated refresh token'), options),
      ),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
  });
});

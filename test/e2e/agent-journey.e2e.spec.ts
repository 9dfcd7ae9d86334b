import { decodeJwt } from 'jose';
import request from 'supertest';
import { parseChallenge } from './support/bearer';
import { hiddenFieldsOf, pkce, redirectParameters } from './support/code-flow';
import { csrfTokenOf, DEVICE_GRANT, signedInBrowser } from './support/device-flow';
import { LocalWebServer } from './support/local-web-server';
import { present } from './support/present';
import { ISSUER, useTestApp } from './support/test-app';

/** The API the agent was told about, and nothing else: the sample app's agent API (an MCP server stands in). */
const API_URL = `${ISSUER}/mcp/whoami`;

/** The path of a URL of the app under test (supertest talks to the app, not to its public address). */
const pathOf = (url: string): string => {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
};

/** What an agent learns from discovery, with nothing configured for it in advance. */
interface Discovered {
  resource: string;
  scope: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  deviceAuthorizationEndpoint: string;
}

/**
 * The journey of an agent nobody registered, starting from one API URL: a refused call, the
 * API's protected-resource metadata (RFC 9728), the authorization server's metadata (RFC 8414),
 * its own client ID metadata document, a sign-in bound to the API (RFC 8707), and the API call.
 */
describe('an unregistered agent that knows only the API URL', () => {
  const documents = new LocalWebServer();
  beforeAll(() => documents.start());
  afterAll(() => documents.stop());
  const testApp = useTestApp({ deviceAuth: { clientIdMetadataDocuments: { allowPrivateAddresses: true } } });

  async function discover(): Promise<Discovered> {
    const refused = await request(testApp.http).get(pathOf(API_URL)).expect(401);
    const challenge = parseChallenge(refused.headers['www-authenticate']);
    expect(challenge.scheme).toBe('Bearer');
    const resourceMetadata = await request(testApp.http)
      .get(pathOf(present(challenge.params.resource_metadata, 'resource_metadata')))
      .expect(200);
    const {
      resource,
      authorization_servers: servers,
      scopes_supported: scopes,
    } = resourceMetadata.body as Record<string, string[] & string>;
    expect(API_URL.startsWith(resource)).toBe(true);

    const serverMetadata = await request(testApp.http)
      .get(`${pathOf(servers[0]).replace(/\/$/, '')}/.well-known/oauth-authorization-server`)
      .expect(200);
    const metadata = serverMetadata.body as Record<string, unknown>;
    expect(metadata.issuer).toBe(servers[0]);
    expect(metadata.client_id_metadata_document_supported).toBe(true);
    expect(metadata.code_challenge_methods_supported).toContain('S256');
    expect(metadata.protected_resources).toContain(resource);
    expect(scopes).toContain('user:read');
    return {
      resource,
      scope: 'user:read',
      authorizationEndpoint: metadata.authorization_endpoint as string,
      tokenEndpoint: metadata.token_endpoint as string,
      deviceAuthorizationEndpoint: metadata.device_authorization_endpoint as string,
    };
  }

  const callApi = (accessToken: string) => request(testApp.http).get(pathOf(API_URL)).set('Authorization', `Bearer ${accessToken}`);

  it('signs a user in with the code flow and PKCE, gets a token for that API, and calls it', async () => {
    const found = await discover();
    const redirectUri = 'http://127.0.0.1:49152/callback';
    const clientId = documents.serveDocument('/agents/docs-agent.json', {
      client_name: 'Docs Agent',
      redirect_uris: ['http://127.0.0.1/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'none',
    });
    const { verifier, challenge } = pkce();
    const authorizeUrl = new URL(found.authorizationEndpoint);
    const query = {
      response_type: 'code',
      client_id: clientId,
      redirect_uri: redirectUri,
      scope: found.scope,
      state: 'journey',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      resource: found.resource,
    };
    for (const [name, value] of Object.entries(query)) authorizeUrl.searchParams.set(name, value);

    // The user, in their browser: signs in, reads who asks, approves.
    const browser = await signedInBrowser(testApp, 'alice');
    const consent = await browser.get(pathOf(authorizeUrl.href)).expect(200);
    expect(consent.text).toContain('Docs Agent');
    expect(consent.text).toContain('identified only by its web address');
    const back = await browser
      .post(authorizeUrl.pathname)
      .type('form')
      .send({ ...hiddenFieldsOf(consent.text), action: 'approve' });
    const answer = redirectParameters(back);
    expect(answer.get('state')).toBe('journey');
    expect(answer.get('iss')).toBe(ISSUER);

    const tokens = await request(testApp.http)
      .post(pathOf(found.tokenEndpoint))
      .type('form')
      .send({
        grant_type: 'authorization_code',
        code: present(answer.get('code'), 'a code'),
        redirect_uri: redirectUri,
        code_verifier: verifier,
        client_id: clientId,
        resource: found.resource,
      })
      .expect(200);
    expect(decodeJwt(tokens.body.access_token)).toMatchObject({ aud: found.resource, client_id: clientId });
    const me = await callApi(tokens.body.access_token).expect(200);
    expect(me.body).toMatchObject({ userId: await testApp.userId('alice'), clientId, audience: found.resource });
  });

  it('does the same with the device grant', async () => {
    const found = await discover();
    const clientId = documents.serveDocument('/agents/terminal-agent.json', {
      client_name: 'Terminal Agent',
      grant_types: [DEVICE_GRANT, 'refresh_token'],
      token_endpoint_auth_method: 'none',
    });
    const start = await request(testApp.http)
      .post(pathOf(found.deviceAuthorizationEndpoint))
      .type('form')
      .send({ client_id: clientId, scope: found.scope, resource: found.resource })
      .expect(200);

    // The user opens the verification URI the agent shows, and approves.
    const browser = await signedInBrowser(testApp, 'bob');
    const confirm = await browser.get(pathOf(start.body.verification_uri_complete)).expect(200);
    expect(confirm.text).toContain('Terminal Agent');
    await browser
      .post(new URL(start.body.verification_uri).pathname)
      .type('form')
      .send({ user_code: start.body.user_code, csrf_token: csrfTokenOf(confirm.text), action: 'approve' })
      .expect(200);

    const tokens = await request(testApp.http)
      .post(pathOf(found.tokenEndpoint))
      .type('form')
      .send({ grant_type: DEVICE_GRANT, device_code: start.body.device_code, client_id: clientId })
      .expect(200);
    expect(decodeJwt(tokens.body.access_token).aud).toBe(found.resource);
    await callApi(tokens.body.access_token).expect(200);
    // The token is for the agent API only: the REST API at the default resource refuses it.
    await request(testApp.http).get('/api/v1/me').set('Authorization', `Bearer ${tokens.body.access_token}`).expect(401);
  });
});

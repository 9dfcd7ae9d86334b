import { decodeJwt } from 'jose';
import request from 'supertest';
import { ClientsService, PersonalAccessTokensService } from '../../lib';
import { parseChallenge } from './support/bearer';
import { authorizeQuery, consent, pkce, redeemCode, redirectParameters } from './support/code-flow';
import { callMe, decideInBrowser, DEVICE_GRANT, DeviceStart, pollToken, refresh, signedInBrowser } from './support/device-flow';
import { basicAuth, expectOAuthError } from './support/oauth-responses';
import { present } from './support/present';
import { ISSUER, useTestApp } from './support/test-app';

/** The sample app's second API (an MCP server stands in), configured as a resource of its own. */
const AGENT_API = `${ISSUER}/mcp`;

interface Tokens {
  access_token: string;
  refresh_token: string;
  scope: string;
}

/** RFC 8707: tokens bound to the resource (API) they were asked for. */
describe('resource indicators (RFC 8707)', () => {
  const testApp = useTestApp();

  const startDevice = (form: Record<string, string>) =>
    request(testApp.http)
      .post('/o/device-authorization/')
      .type('form')
      .send({ client_id: 'sample-cli', scope: 'user:read', ...form });

  /** The device flow as alice, asking for `resource` (none: the default). */
  async function deviceTokens(resource?: string): Promise<Tokens> {
    const start = (await startDevice(resource === undefined ? {} : { resource }).expect(200)).body as DeviceStart;
    await decideInBrowser(await signedInBrowser(testApp, 'alice'), start.user_code, 'approve');
    return (await pollToken(testApp, start.device_code).expect(200)).body as Tokens;
  }

  const callAgentApi = (accessToken: string) => request(testApp.http).get('/mcp/whoami').set('Authorization', `Bearer ${accessToken}`);

  it('names the resource on the confirm page, and only when the device asked for one', async () => {
    const browser = await signedInBrowser(testApp, 'alice');
    const confirmPageOf = async (form: Record<string, string>) => {
      const start = (await startDevice(form).expect(200)).body as DeviceStart;
      return (await browser.get('/oauth/device').query({ user_code: start.user_code }).expect(200)).text;
    };
    expect(await confirmPageOf({ resource: AGENT_API })).toContain(
      `The access is limited to <strong>Sample agent API (${AGENT_API})</strong>.`,
    );
    expect(await confirmPageOf({})).not.toContain('The access is limited to');
  });

  it('issues a token whose aud is the resource asked for, accepted by that API and refused by the other', async () => {
    const tokens = await deviceTokens(AGENT_API);
    expect(decodeJwt(tokens.access_token).aud).toBe(AGENT_API);

    const accepted = await callAgentApi(tokens.access_token).expect(200);
    expect(accepted.body).toEqual({
      userId: await testApp.userId('alice'),
      clientId: 'sample-cli',
      scopes: ['user:read'],
      audience: AGENT_API,
    });

    const refused = await callMe(testApp, tokens.access_token).expect(401);
    const challenge = parseChallenge(refused.headers['www-authenticate']);
    expect(challenge.params.error).toBe('invalid_token');
    expect(challenge.params.error_description).toBe('The access token is for another resource');
    expect(challenge.params.resource_metadata).toBe(`${ISSUER}/.well-known/oauth-protected-resource`);
  });

  it('keeps today’s behaviour without resource: aud is accessToken.audience, and the other API refuses it, naming its own metadata', async () => {
    const tokens = await deviceTokens();
    expect(decodeJwt(tokens.access_token).aud).toBe(ISSUER);
    await callMe(testApp, tokens.access_token).expect(200);

    const refused = await callAgentApi(tokens.access_token).expect(401);
    const challenge = parseChallenge(refused.headers['www-authenticate']);
    expect(challenge.params.error).toBe('invalid_token');
    expect(challenge.params.resource_metadata).toBe(`${ISSUER}/.well-known/oauth-protected-resource/mcp`);
    const metadata = await request(testApp.http).get('/.well-known/oauth-protected-resource/mcp').expect(200);
    expect(metadata.body).toMatchObject({ resource: AGENT_API, authorization_servers: [ISSUER], resource_name: 'Sample agent API' });
  });

  it('matches the resource however its root is spelled, and issues aud as configured', async () => {
    const tokens = await deviceTokens(`${ISSUER}/`);
    expect(decodeJwt(tokens.access_token).aud).toBe(ISSUER);
  });

  it('a PAT, made by the user for this server, is accepted by every resource of it', async () => {
    const { token: pat } = await testApp.app
      .get(PersonalAccessTokensService)
      .create({ userId: await testApp.userId('alice'), name: 'agent', scopes: ['user:read'] });
    await callMe(testApp, pat).expect(200);
    expect((await callAgentApi(pat).expect(200)).body.audience).toBeNull();
  });

  describe('invalid_target', () => {
    it.each([
      ['a resource this server does not serve', 'https://other.example.com/api'],
      ['a relative reference', '/mcp'],
      ['a URI with a fragment', `${AGENT_API}#tools`],
    ])('refuses %s at the device authorization endpoint', async (_case, resource) => {
      expectOAuthError(await startDevice({ resource }), 400, 'invalid_target');
    });

    it('refuses two resources in one request (one token, one audience)', async () => {
      const response = await request(testApp.http)
        .post('/o/device-authorization/')
        .type('form')
        .send(`client_id=sample-cli&resource=${encodeURIComponent(AGENT_API)}&resource=${encodeURIComponent(ISSUER)}`);
      expectOAuthError(response, 400, 'invalid_target');
    });

    it('sends invalid_target back to the app from the authorization endpoint, with its state', async () => {
      const { challenge } = pkce();
      const query = authorizeQuery(challenge, { resource: 'https://other.example.com/api' });
      const browser = await signedInBrowser(testApp, 'alice');
      const parameters = redirectParameters(await browser.get('/o/authorize/').query(query).expect(303));
      expect(parameters.get('error')).toBe('invalid_target');
      expect(parameters.get('state')).toBe(query.state);
    });

    it('refuses a client-credentials request for a resource this server does not serve', async () => {
      const { clientSecret } = await testApp.app.get(ClientsService).register({
        clientId: 'resource-bot',
        name: 'resource-bot',
        type: 'confidential',
        mode: 'partner',
        grantTypes: ['client_credentials'],
        scopes: ['user:read'],
      });
      const token = (form: Record<string, string>) =>
        request(testApp.http)
          .post('/o/token/')
          .type('form')
          .set('Authorization', basicAuth('resource-bot', present(clientSecret, 'a secret')))
          .send({ grant_type: 'client_credentials', ...form });
      expectOAuthError(await token({ resource: 'https://other.example.com/' }), 400, 'invalid_target');
      const issued = await token({ resource: AGENT_API }).expect(200);
      expect(decodeJwt(issued.body.access_token).aud).toBe(AGENT_API);
    });
  });

  describe('a refresh never widens the resource', () => {
    it('refuses another resource than the approved one, and the refresh token stays usable', async () => {
      const tokens = await deviceTokens();
      const widened = await refresh(testApp, tokens.refresh_token).send({ resource: AGENT_API });
      expectOAuthError(widened, 400, 'invalid_target');

      const same = await refresh(testApp, tokens.refresh_token).send({ resource: ISSUER }).expect(200);
      expect(decodeJwt(same.body.access_token).aud).toBe(ISSUER);
    });

    it('keeps a grant for the agent API bound to it on every refresh, with or without resource', async () => {
      const tokens = await deviceTokens(AGENT_API);
      const first = await refresh(testApp, tokens.refresh_token).expect(200);
      expect(decodeJwt(first.body.access_token).aud).toBe(AGENT_API);
      expectOAuthError(await refresh(testApp, first.body.refresh_token).send({ resource: ISSUER }), 400, 'invalid_target');
      const second = await refresh(testApp, first.body.refresh_token).send({ resource: AGENT_API }).expect(200);
      expect(decodeJwt(second.body.access_token).aud).toBe(AGENT_API);
    });

    it('refuses a device-code redemption naming another resource without spending the code', async () => {
      const start = (await startDevice({ resource: AGENT_API }).expect(200)).body as DeviceStart;
      await decideInBrowser(await signedInBrowser(testApp, 'alice'), start.user_code, 'approve');
      const redeem = (form: Record<string, string>) =>
        request(testApp.http)
          .post('/o/token/')
          .type('form')
          .send({ grant_type: DEVICE_GRANT, device_code: start.device_code, client_id: 'sample-cli', ...form });
      expectOAuthError(await redeem({ resource: ISSUER }), 400, 'invalid_target');
      const tokens = await redeem({ resource: AGENT_API }).expect(200);
      expect(decodeJwt(tokens.body.access_token).aud).toBe(AGENT_API);
    });
  });

  it('binds the code flow’s token to the resource of the authorization request, which the consent page names', async () => {
    const { verifier, challenge } = pkce();
    const query = authorizeQuery(challenge, { resource: AGENT_API });
    const browser = await signedInBrowser(testApp, 'alice');
    const page = await browser.get('/o/authorize/').query(query).expect(200);
    expect(page.text).toContain(`The access is limited to <strong>Sample agent API (${AGENT_API})</strong>.`);
    const code = present(redirectParameters(await consent(browser, query, 'approve')).get('code'), 'a code');
    const form = { code, redirect_uri: query.redirect_uri, code_verifier: verifier, client_id: 'sample-cli' };
    expectOAuthError(await redeemCode(testApp, { ...form, resource: ISSUER }), 400, 'invalid_target');
    const tokens = await redeemCode(testApp, form).expect(200);
    expect(decodeJwt(tokens.body.access_token).aud).toBe(AGENT_API);
    await callAgentApi(tokens.body.access_token).expect(200);
  });

  it('lists every resource in the authorization server metadata (RFC 9728 §4)', async () => {
    const metadata = await request(testApp.http).get('/.well-known/oauth-authorization-server').expect(200);
    expect(metadata.body.protected_resources).toEqual([ISSUER, AGENT_API]);
  });
});

import { decodeJwt } from 'jose';
import request from 'supertest';
import { ClientRegistrationError, ClientsService, PersonalAccessTokensService, TokenExchangeRequest } from '../../lib';
import { callMe, deviceLogin } from './support/device-flow';
import { basicAuth, expectOAuthError } from './support/oauth-responses';
import { present } from './support/present';
import { registerResourceServer } from './support/resource-server';
import { ISSUER, type TestApp, useTestApp } from './support/test-app';

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const AGENT_API = `${ISSUER}/mcp`;

/** sample-cli (a public app, not registered for the grant) exchanging alice's own token. */
async function exchangeAsSampleCli(testApp: TestApp): Promise<request.Response> {
  const subject = await deviceLogin(testApp, 'alice', 'sample-cli', 'user:read');
  return request(testApp.http).post('/o/token/').type('form').send({
    grant_type: TOKEN_EXCHANGE,
    client_id: 'sample-cli',
    subject_token: subject.access_token,
    subject_token_type: ACCESS_TOKEN_TYPE,
  });
}

/** RFC 8693: an agent acting for a user, with a token that says so. */
describe('token exchange (RFC 8693)', () => {
  describe('with a policy that lets agent-runner act for users at the agent API', () => {
    const decisions: TokenExchangeRequest[] = [];
    const testApp = useTestApp({
      deviceAuth: {
        tokenExchange: {
          mayExchange: async (exchange) => {
            decisions.push(exchange);
            return exchange.clientId === 'agent-runner' && exchange.resource === AGENT_API;
          },
        },
      },
    });
    const secrets: Record<string, string> = {};

    beforeAll(async () => {
      const clients = testApp.app.get(ClientsService);
      for (const clientId of ['agent-runner', 'other-runner']) {
        const { clientSecret } = await clients.register({
          clientId,
          name: clientId,
          type: 'confidential',
          mode: 'partner',
          grantTypes: [TOKEN_EXCHANGE],
          scopes: [],
          accessTokenTtl: 7200,
        });
        secrets[clientId] = present(clientSecret, 'a client secret');
      }
    });
    beforeEach(() => (decisions.length = 0));

    const exchange = (subjectToken: string, form: Record<string, string> = {}, clientId = 'agent-runner') =>
      request(testApp.http)
        .post('/o/token/')
        .type('form')
        .set('Authorization', basicAuth(clientId, secrets[clientId]))
        .send({ grant_type: TOKEN_EXCHANGE, subject_token: subjectToken, subject_token_type: ACCESS_TOKEN_TYPE, ...form });
    const callAgentApi = (accessToken: string) => request(testApp.http).get('/mcp/whoami').set('Authorization', `Bearer ${accessToken}`);

    it('issues a token for the agent API that names the agent in act, within the subject token’s scopes and life', async () => {
      const subject = await deviceLogin(testApp, 'alice', 'sample-cli', 'user:read listings:read');
      testApp.clock.advance(600);
      const response = await exchange(subject.access_token, { resource: AGENT_API, scope: 'user:read' }).expect(200);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.body).toEqual({
        access_token: expect.any(String),
        issued_token_type: ACCESS_TOKEN_TYPE,
        token_type: 'Bearer',
        // The agent's own lifetime is 2 h, but the subject token has 50 min left.
        expires_in: 3000,
        scope: 'user:read',
      });
      const claims = decodeJwt(response.body.access_token);
      expect(claims).toMatchObject({
        sub: await testApp.userId('alice'),
        aud: AGENT_API,
        client_id: 'agent-runner',
        act: { sub: 'agent-runner' },
      });
      expect(claims.exp).toBe(decodeJwt(subject.access_token).exp);
      expect(decisions).toEqual([
        {
          clientId: 'agent-runner',
          subject: {
            userId: await testApp.userId('alice'),
            clientId: 'sample-cli',
            scopes: ['user:read', 'listings:read'],
            audience: ISSUER,
          },
          resource: AGENT_API,
          scopes: ['user:read'],
        },
      ]);

      const whoami = await callAgentApi(response.body.access_token).expect(200);
      expect(whoami.body).toMatchObject({ userId: await testApp.userId('alice'), clientId: 'agent-runner', audience: AGENT_API });
      // Bound to the agent API: the REST API refuses it.
      await callMe(testApp, response.body.access_token).expect(401);
    });

    it('shows the actor to resource servers through introspection', async () => {
      const subject = await deviceLogin(testApp, 'alice', 'sample-cli', 'user:read');
      const exchanged = await exchange(subject.access_token, { resource: AGENT_API }).expect(200);
      const resourceServer = await registerResourceServer(testApp);
      const introspected = await request(testApp.http)
        .post('/o/introspect/')
        .type('form')
        .auth(resourceServer.id, resourceServer.secret)
        .send({ token: exchanged.body.access_token })
        .expect(200);
      expect(introspected.body).toMatchObject({ active: true, client_id: 'agent-runner', aud: AGENT_API, act: { sub: 'agent-runner' } });
    });

    it('dies with the subject token’s grant', async () => {
      const subject = await deviceLogin(testApp, 'alice', 'sample-cli', 'user:read');
      const exchanged = await exchange(subject.access_token, { resource: AGENT_API }).expect(200);
      await callAgentApi(exchanged.body.access_token).expect(200);
      await request(testApp.http)
        .post('/o/revoke/')
        .type('form')
        .send({ client_id: 'sample-cli', token: subject.refresh_token })
        .expect(200);
      await callAgentApi(exchanged.body.access_token).expect(401);
      // …and a revoked subject token cannot be exchanged again.
      expectOAuthError(await exchange(subject.access_token, { resource: AGENT_API }), 400, 'invalid_request');
    });

    it('refuses what the policy does not allow with unauthorized_client: another resource, another app', async () => {
      const subject = await deviceLogin(testApp, 'alice', 'sample-cli', 'user:read');
      expectOAuthError(await exchange(subject.access_token), 400, 'unauthorized_client');
      expectOAuthError(await exchange(subject.access_token, { resource: AGENT_API }, 'other-runner'), 400, 'unauthorized_client');
    });

    it('never widens the scopes, and refuses unknown resources before asking the policy', async () => {
      const subject = await deviceLogin(testApp, 'alice', 'sample-cli', 'user:read');
      expectOAuthError(
        await exchange(subject.access_token, { resource: AGENT_API, scope: 'user:read listings:write' }),
        400,
        'invalid_scope',
      );
      expectOAuthError(await exchange(subject.access_token, { resource: 'https://other.example.com/' }), 400, 'invalid_target');
      expect(decisions).toEqual([]);
    });

    it('nests act when an exchanged token is exchanged again', async () => {
      const subject = await deviceLogin(testApp, 'alice', 'sample-cli', 'user:read');
      const first = await exchange(subject.access_token, { resource: AGENT_API }).expect(200);
      const second = await exchange(first.body.access_token, { resource: AGENT_API }).expect(200);
      expect(decodeJwt(second.body.access_token).act).toEqual({ sub: 'agent-runner', act: { sub: 'agent-runner' } });
    });

    it.each([
      ['no subject_token', { subject_token: '' }, 'invalid_request'],
      [
        'a subject token type other than an access token',
        { subject_token_type: 'urn:ietf:params:oauth:token-type:refresh_token' },
        'invalid_request',
      ],
      [
        'a requested token type other than an access token',
        { requested_token_type: 'urn:ietf:params:oauth:token-type:jwt' },
        'invalid_request',
      ],
      ['an actor token', { actor_token: 'x', actor_token_type: ACCESS_TOKEN_TYPE }, 'invalid_request'],
      ['audience instead of resource', { audience: 'agent-api' }, 'invalid_target'],
      ['a subject token that is not ours', { subject_token: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' }, 'invalid_request'],
    ])('refuses %s', async (_case, form, error) => {
      const subject = await deviceLogin(testApp, 'alice', 'sample-cli', 'user:read');
      expectOAuthError(await exchange(subject.access_token, { resource: AGENT_API, ...form }), 400, error);
    });

    it('refuses a PAT as the subject token: only access tokens of a grant are exchanged', async () => {
      const { token } = await testApp.app
        .get(PersonalAccessTokensService)
        .create({ userId: await testApp.userId('alice'), name: 'pat', scopes: ['user:read'] });
      expectOAuthError(await exchange(token, { resource: AGENT_API }), 400, 'invalid_request');
    });

    it('is offered in the metadata, and only confidential apps may be registered for it', async () => {
      const metadata = await request(testApp.http).get('/.well-known/oauth-authorization-server').expect(200);
      expect(metadata.body.grant_types_supported).toContain(TOKEN_EXCHANGE);
      await expect(
        testApp.app
          .get(ClientsService)
          .register({ name: 'public agent', type: 'public', mode: 'partner', grantTypes: [TOKEN_EXCHANGE], scopes: [] }),
      ).rejects.toThrow(ClientRegistrationError);
    });

    it('refuses apps not registered for the grant', async () => {
      expectOAuthError(await exchangeAsSampleCli(testApp), 400, 'unauthorized_client');
    });
  });

  describe('without a policy (the default)', () => {
    const testApp = useTestApp();

    it('is not offered: absent from the metadata, unsupported at the token endpoint, and not registrable', async () => {
      const metadata = await request(testApp.http).get('/.well-known/oauth-authorization-server').expect(200);
      expect(metadata.body.grant_types_supported).not.toContain(TOKEN_EXCHANGE);
      expectOAuthError(await exchangeAsSampleCli(testApp), 400, 'unsupported_grant_type');
      await expect(
        testApp.app
          .get(ClientsService)
          .register({ name: 'agent', type: 'confidential', mode: 'partner', grantTypes: [TOKEN_EXCHANGE], scopes: [] }),
      ).rejects.toThrow(/not offered/);
    });
  });
});

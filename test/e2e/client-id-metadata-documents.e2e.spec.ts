import request from 'supertest';
import { AUTHORIZE_PATH, authorizeQuery, hiddenFieldsOf, pkce, redeemCode, redirectParameters } from './support/code-flow';
import {
  callMe,
  DEVICE_GRANT,
  decideInBrowser,
  pollToken,
  refresh,
  signedInBrowser,
  startDeviceAuthorization,
} from './support/device-flow';
import { LocalWebServer } from './support/local-web-server';
import { expectOAuthError } from './support/oauth-responses';
import { present } from './support/present';
import { useTestApp, type TestApp } from './support/test-app';
import { VERIFICATION_PATH } from './support/verification-page';

const CALLBACK = 'http://127.0.0.1/callback';
const CODE_FLOW_APP = {
  client_name: 'Docs Agent',
  redirect_uris: [CALLBACK],
  grant_types: ['authorization_code', 'refresh_token'],
  token_endpoint_auth_method: 'none',
};
const DEVICE_APP = { client_name: 'Terminal Agent', grant_types: [DEVICE_GRANT, 'refresh_token'], token_endpoint_auth_method: 'none' };

/** A device authorization request for a client id: the endpoint that answers 401 invalid_client for an unusable document. */
const startFor = (testApp: TestApp, clientId: string) =>
  request(testApp.http).post('/o/device-authorization/').type('form').send({ client_id: clientId });

/** The token endpoint's answer to a client id, with a refresh token that does not matter: the client is checked first. */
const tokenRequestFor = (testApp: TestApp, clientId: string) => refresh(testApp, 'brt_not-checked', clientId);

/** The authorization endpoint's answer to a client id: a page, never a redirect, when the app is unusable. */
async function authorizePageFor(testApp: TestApp, clientId: string): Promise<request.Response> {
  const browser = await signedInBrowser(testApp, 'alice');
  return browser.get(AUTHORIZE_PATH).query(authorizeQuery(pkce().challenge, { client_id: clientId, redirect_uri: CALLBACK }));
}

describe('OAuth Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document)', () => {
  const documents = new LocalWebServer();
  beforeAll(() => documents.start());
  afterAll(() => documents.stop());

  describe('turned on, for a server fetching from this machine (allowPrivateAddresses)', () => {
    const testApp = useTestApp({
      deviceAuth: { clientIdMetadataDocuments: { allowPrivateAddresses: true, timeoutMs: 300 } },
    });

    it('says so in the authorization server metadata', async () => {
      const metadata = await request(testApp.http).get('/.well-known/oauth-authorization-server').expect(200);
      expect(metadata.body.client_id_metadata_document_supported).toBe(true);
    });

    it('signs a user in to an app known only by its URL: the code flow with PKCE, a refresh, and one fetch within max-age', async () => {
      // Longer than the 100 characters of a registered client id: grants, tokens and codes hold it on PostgreSQL too.
      const path = `/apps/${'docs-agent-'.repeat(10)}/client.json`;
      const clientId = documents.serveDocument(path, CODE_FLOW_APP, { 'cache-control': 'public, max-age=600' });
      expect(clientId.length).toBeGreaterThan(100);
      const { verifier, challenge } = pkce();
      const query = authorizeQuery(challenge, { client_id: clientId, redirect_uri: 'http://127.0.0.1:53682/callback' });
      const browser = await signedInBrowser(testApp, 'alice');

      const page = await browser.get(AUTHORIZE_PATH).query(query).expect(200);
      expect(page.text).toContain('Allow <strong>Docs Agent</strong> to access your account?');
      expect(page.text).toContain(
        `This app is identified only by its web address on <strong>${new URL(clientId).host}</strong>; its name is its own claim`,
      );
      const answer = await browser
        .post(AUTHORIZE_PATH)
        .type('form')
        .send({ ...hiddenFieldsOf(page.text), action: 'approve' });
      const code = present(redirectParameters(answer).get('code'), 'a code');
      const tokens = await redeemCode(testApp, {
        code,
        redirect_uri: query.redirect_uri,
        code_verifier: verifier,
        client_id: clientId,
      }).expect(200);
      expect(tokens.body.scope).toBe('user:read');
      await callMe(testApp, tokens.body.access_token).expect(200);
      const refreshed = await refresh(testApp, tokens.body.refresh_token, clientId).expect(200);
      expect(documents.requestsFor(path)).toBe(1);

      // Past its max-age the document is fetched again, once.
      testApp.clock.advance(601);
      await refresh(testApp, refreshed.body.refresh_token, clientId).expect(200);
      expect(documents.requestsFor(path)).toBe(2);
    });

    it('connects a device of such an app through the device flow, naming its host on the confirm page', async () => {
      const clientId = documents.serveDocument('/terminal-agent.json', DEVICE_APP);
      const start = await startDeviceAuthorization(testApp, clientId, 'user:read');
      const browser = await signedInBrowser(testApp, 'bob');
      const confirm = await browser.get(VERIFICATION_PATH).query({ user_code: start.user_code }).expect(200);
      expect(confirm.text).toContain('Allow <strong>Terminal Agent</strong> to access your account?');
      expect(confirm.text).toContain(`identified only by its web address on <strong>${new URL(clientId).host}</strong>`);
      await decideInBrowser(browser, start.user_code, 'approve');
      const tokens = await pollToken(testApp, start.device_code, clientId).expect(200);
      await callMe(testApp, tokens.body.access_token).expect(200);
    });

    it('gives such an app only the grants its document names', async () => {
      const clientId = documents.serveDocument('/code-only.json', { ...CODE_FLOW_APP, grant_types: ['authorization_code'] });
      expectOAuthError(await startFor(testApp, clientId), 400, 'unauthorized_client');
    });

    it.each<[string, string, (documentUrl: string) => (request: unknown, response: import('node:http').ServerResponse) => void, RegExp]>([
      [
        'whose client_id is another URL',
        '/impostor.json',
        () => (_request, response) =>
          response
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ ...DEVICE_APP, client_id: 'https://famous.example.com/client.json' })),
        /its client_id is not the URL it was fetched from/,
      ],
      [
        'larger than maxBytes, as declared',
        '/oversize.json',
        (url) => (_request, response) =>
          response
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ ...DEVICE_APP, client_id: url, padding: 'x'.repeat(6000) })),
        /it is larger than 5120 bytes/,
      ],
      [
        'larger than maxBytes, streamed without a length',
        '/oversize-stream.json',
        () => (_request, response) => {
          response.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
          for (let chunk = 0; chunk < 8; chunk++) response.write(' '.repeat(1024));
          response.end('{}');
        },
        /it is larger than 5120 bytes/,
      ],
      ['that never answers', '/silent.json', () => () => undefined, /it did not arrive within 300 ms/],
      [
        'that redirects',
        '/moved.json',
        () => (_request, response) => response.writeHead(302, { location: '/terminal-agent.json' }).end(),
        /it answered 302, a redirect, and redirects are not followed/,
      ],
      [
        'served as HTML',
        '/page.html',
        (url) => (_request, response) =>
          response.writeHead(200, { 'content-type': 'text/html' }).end(JSON.stringify({ ...DEVICE_APP, client_id: url })),
        /its content type is not application\/json/,
      ],
      [
        'that is not JSON',
        '/broken.json',
        () => (_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"client_id":'),
        /it is not valid JSON/,
      ],
      ['that is not there', '/missing.json', () => (_request, response) => response.writeHead(404).end(), /it answered 404 instead of 200/],
      [
        'with a client secret method',
        '/secret.json',
        (url) => (_request, response) =>
          response
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ ...DEVICE_APP, client_id: url, token_endpoint_auth_method: 'client_secret_post' })),
        /token_endpoint_auth_method must be "none"/,
      ],
    ])(
      'refuses a document %s: 401 invalid_client at the machine endpoints, the unknown-app page at the authorization endpoint',
      async (_label, path, route, problem) => {
        const clientId = documents.serve(path, route(documents.origin + path));
        for (const answer of [await startFor(testApp, clientId), await tokenRequestFor(testApp, clientId)]) {
          expectOAuthError(answer, 401, 'invalid_client');
          expect(answer.body.error_description).toMatch(problem);
          expect(answer.body.error_description).toContain(`The client metadata document at ${clientId} cannot be used`);
        }
        const page = await authorizePageFor(testApp, clientId);
        expect(page.status).toBe(400);
        expect(page.headers.location).toBeUndefined();
        expect(page.text).toContain('The app asking you to sign in is not registered here.');
      },
    );

    it('does not follow a redirect to a valid document', async () => {
      documents.serveDocument('/target.json', DEVICE_APP);
      const clientId = documents.serve('/redirect-to-target.json', (_request, response) =>
        response.writeHead(301, { location: `${documents.origin}/target.json` }).end(),
      );
      expectOAuthError(await startFor(testApp, clientId), 401, 'invalid_client');
      expect(documents.requestsFor('/target.json')).toBe(0);
    });

    it('keeps no failure: a document fixed after a refusal is used at once', async () => {
      let fixed = false;
      const clientId = documents.serve('/flaky.json', (_request, response) =>
        fixed
          ? response
              .writeHead(200, { 'content-type': 'application/json' })
              .end(JSON.stringify({ ...DEVICE_APP, client_id: `${documents.origin}/flaky.json` }))
          : response.writeHead(503).end(),
      );
      expectOAuthError(await startFor(testApp, clientId), 401, 'invalid_client');
      fixed = true;
      await startFor(testApp, clientId).expect(200);
      expect(documents.requestsFor('/flaky.json')).toBe(2);
    });

    it('refuses client ID URLs the draft forbids without fetching them', async () => {
      const before = documents.connections;
      for (const [clientId, problem] of [
        [`${documents.origin}/apps/../terminal-agent.json`, /must not contain \. or \.\. segments/],
        [`${documents.origin}/terminal-agent.json#x`, /must not contain a fragment/],
        [`http://agent.example.com/client.json`, /must use https/],
        [`${documents.origin}/${'x'.repeat(256)}`, /at most 255 characters/],
      ] as const) {
        const answer = await startFor(testApp, clientId);
        expectOAuthError(answer, 401, 'invalid_client');
        expect(answer.body.error_description).toMatch(problem);
      }
      expect(documents.connections).toBe(before);
    });
  });

  describe('turned on, for a server on the internet (the default SSRF guard)', () => {
    const testApp = useTestApp({ deviceAuth: { clientIdMetadataDocuments: true } });

    it.each([
      [
        'a loopback IP literal',
        (port: string) => `https://127.0.0.1:${port}/terminal-agent.json`,
        /127\.0\.0\.1:\d+ is a private or special-use address/,
      ],
      [
        'an IPv4-mapped loopback literal',
        (port: string) => `https://[::ffff:127.0.0.1]:${port}/terminal-agent.json`,
        /is a private or special-use address/,
      ],
      [
        'a name that resolves to loopback',
        (port: string) => `https://localhost:${port}/terminal-agent.json`,
        /localhost resolves to a private or special-use address/,
      ],
      ['http on this machine', (port: string) => `http://127.0.0.1:${port}/terminal-agent.json`, /must use https/],
    ])('refuses %s without any connection reaching it', async (_label, urlOn, problem) => {
      const before = documents.connections;
      const answer = await startFor(testApp, urlOn(new URL(documents.origin).port));
      expectOAuthError(answer, 401, 'invalid_client');
      expect(answer.body.error_description).toMatch(problem);
      expect(documents.connections).toBe(before);
    });
  });

  describe('with a small per-IP allowance of sign-ins naming apps by URL', () => {
    const testApp = useTestApp({
      deviceAuth: {
        clientIdMetadataDocuments: { allowPrivateAddresses: true },
        rateLimits: { metadataDocumentSignInsPerIp: { limit: 2, windowSeconds: 60 } },
      },
    });

    it('answers a 429 page past it without fetching, leaves registered apps alone, and lets the next window through', async () => {
      const path = '/limited.json';
      const clientId = documents.serveDocument(path, CODE_FLOW_APP);
      expect((await authorizePageFor(testApp, clientId)).status).toBe(200);
      expect((await authorizePageFor(testApp, clientId)).status).toBe(200);

      const refused = await authorizePageFor(testApp, `${documents.origin}/never-fetched.json`);
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toMatch(/^\d+$/);
      expect(refused.text).toContain('Too many sign-in requests came from your network');
      expect(documents.requestsFor('/never-fetched.json')).toBe(0);
      // Apps registered here are not what the allowance is for.
      expect((await authorizePageFor(testApp, 'sample-cli')).status).toBe(200);

      testApp.clock.advance(61);
      expect((await authorizePageFor(testApp, clientId)).status).toBe(200);
    });
  });

  describe('turned off (the default)', () => {
    const testApp = useTestApp();

    it('is not advertised, and a URL client id is an unknown client that is never fetched', async () => {
      const metadata = await request(testApp.http).get('/.well-known/oauth-authorization-server').expect(200);
      expect(metadata.body).not.toHaveProperty('client_id_metadata_document_supported');
      const clientId = documents.serveDocument('/off.json', DEVICE_APP);
      const answer = await startFor(testApp, clientId);
      expectOAuthError(answer, 401, 'invalid_client');
      expect(answer.body.error_description).toBe('Unknown client');
      expect(documents.requestsFor('/off.json')).toBe(0);
    });
  });
});

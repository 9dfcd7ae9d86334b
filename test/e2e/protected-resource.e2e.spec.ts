import request from 'supertest';
import { SAMPLE_SCOPES } from '../../sample-app/sample-scopes';
import { deviceLogin } from './support/device-flow';
import { ISSUER, useTestApp } from './support/test-app';

/** The `resource_metadata` parameter of a `WWW-Authenticate: Bearer` challenge, or null. */
const resourceMetadataOf = (response: request.Response): string | null =>
  /resource_metadata="([^"]+)"/.exec(String(response.headers['www-authenticate']))?.[1] ?? null;

/** The path of a URL on the app under test. */
const pathOf = (url: string): string => new URL(url).pathname;

describe('protected-resource metadata (RFC 9728)', () => {
  describe('for the API at the issuer (the default audience)', () => {
    const testApp = useTestApp();

    it('leads a client that knows only the API URL from one refused call to the authorization server', async () => {
      const refused = await request(testApp.http).get('/api/v1/me').expect(401);
      const metadataUrl = resourceMetadataOf(refused);
      expect(metadataUrl).toBe(`${ISSUER}/.well-known/oauth-protected-resource`);

      const metadata = await request(testApp.http)
        .get(pathOf(metadataUrl as string))
        .expect(200);
      expect(metadata.body).toEqual({
        resource: ISSUER,
        authorization_servers: [ISSUER],
        scopes_supported: Object.keys(SAMPLE_SCOPES),
        bearer_methods_supported: ['header'],
      });
      const [authorizationServer] = metadata.body.authorization_servers as string[];
      const serverMetadata = await request(testApp.http).get(`${pathOf(authorizationServer)}.well-known/oauth-authorization-server`);
      expect(serverMetadata.status).toBe(200);
      expect(serverMetadata.body.issuer).toBe(authorizationServer);
      // …and the authorization server names the resource back (RFC 9728 §4), beside the sample's agent API.
      expect(serverMetadata.body.protected_resources).toEqual([ISSUER, `${ISSUER}/mcp`]);
    });

    it('names the metadata in every challenge of the guard: a bad token and a missing scope too', async () => {
      const badToken = await request(testApp.http).get('/api/v1/me').set('Authorization', 'Bearer not-a-token').expect(401);
      expect(resourceMetadataOf(badToken)).toBe(`${ISSUER}/.well-known/oauth-protected-resource`);

      const tokens = await deviceLogin(testApp, 'alice', 'sample-cli', 'user:read');
      const missingScope = await request(testApp.http)
        .post('/api/v1/listings')
        .set('Authorization', `Bearer ${tokens.access_token}`)
        .send({ title: 'A flat' })
        .expect(403);
      expect(String(missingScope.headers['www-authenticate'])).toContain('error="insufficient_scope"');
      expect(resourceMetadataOf(missingScope)).toBe(`${ISSUER}/.well-known/oauth-protected-resource`);

      // A body the platform's parser refuses, at a guarded endpoint of the module's own (userinfo).
      const unreadable = await request(testApp.http)
        .post('/o/userinfo/')
        .set('Content-Type', 'application/json')
        .send('{"unclosed')
        .expect(400);
      expect(String(unreadable.headers['www-authenticate'])).toContain('error="invalid_request"');
      expect(resourceMetadataOf(unreadable)).toBe(`${ISSUER}/.well-known/oauth-protected-resource`);
    });
  });

  describe('for an API at a path, with a name and a narrower scope list', () => {
    const resource = `${ISSUER}/api/v1`;
    const testApp = useTestApp({
      deviceAuth: {
        accessToken: { audience: resource },
        protectedResource: { resourceName: 'Listings API', scopesSupported: ['listings:read', 'listings:write'] },
      },
    });

    it('is served at the well-known path followed by the resource path (RFC 9728 §3.1), and only there', async () => {
      const refused = await request(testApp.http).get('/api/v1/me').expect(401);
      expect(resourceMetadataOf(refused)).toBe(`${ISSUER}/.well-known/oauth-protected-resource/api/v1`);
      const metadata = await request(testApp.http).get('/.well-known/oauth-protected-resource/api/v1').expect(200);
      expect(metadata.body).toEqual({
        resource,
        authorization_servers: [ISSUER],
        scopes_supported: ['listings:read', 'listings:write'],
        bearer_methods_supported: ['header'],
        resource_name: 'Listings API',
      });
      await request(testApp.http).get('/.well-known/oauth-protected-resource').expect(404);
    });
  });

  describe('turned off', () => {
    const testApp = useTestApp({ deviceAuth: { protectedResource: false } });

    it('serves no metadata and names none in the challenge or in the authorization server metadata', async () => {
      await request(testApp.http).get('/.well-known/oauth-protected-resource').expect(404);
      const serverMetadata = await request(testApp.http).get('/.well-known/oauth-authorization-server').expect(200);
      expect(serverMetadata.body).not.toHaveProperty('protected_resources');
      const refused = await request(testApp.http).get('/api/v1/me').expect(401);
      expect(String(refused.headers['www-authenticate'])).toMatch(/^Bearer realm=/);
      expect(resourceMetadataOf(refused)).toBeNull();
    });
  });
});

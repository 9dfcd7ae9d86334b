import request from 'supertest';
import { ISSUER, useTestApp } from './support/test-app';

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';

/** The members every configuration of the sample app lists (it offers `openid`, so the OIDC ones too). */
const ALWAYS = [
  'issuer',
  'authorization_endpoint',
  'token_endpoint',
  'device_authorization_endpoint',
  'revocation_endpoint',
  'introspection_endpoint',
  'jwks_uri',
  'grant_types_supported',
  'response_types_supported',
  'response_modes_supported',
  'authorization_response_iss_parameter_supported',
  'code_challenge_methods_supported',
  'scopes_supported',
  'token_endpoint_auth_methods_supported',
  'revocation_endpoint_auth_methods_supported',
  'introspection_endpoint_auth_methods_supported',
  'protected_resources',
  'userinfo_endpoint',
  'id_token_signing_alg_values_supported',
  'subject_types_supported',
  'claims_supported',
];

const metadataOf = async (http: Parameters<typeof request>[0]): Promise<Record<string, unknown>> =>
  (await request(http).get('/.well-known/oauth-authorization-server').expect(200)).body as Record<string, unknown>;

/** RFC 8414: the metadata lists exactly what this server has turned on, no more. */
describe('discovery documents list exactly what is enabled', () => {
  describe('with the defaults (the agent features off)', () => {
    const testApp = useTestApp();

    it('lists the usual members and grants, and no registration, metadata documents or token exchange', async () => {
      const metadata = await metadataOf(testApp.http);
      expect(Object.keys(metadata).sort()).toEqual([...ALWAYS].sort());
      expect(metadata.grant_types_supported).not.toContain(TOKEN_EXCHANGE);
      await request(testApp.http).post('/o/register/').send({ client_name: 'x' }).expect(404);
      // …and OpenID discovery agrees on every shared member.
      const openId = (await request(testApp.http).get('/.well-known/openid-configuration').expect(200)).body as Record<string, unknown>;
      expect(openId).toEqual(metadata);
    });
  });

  describe('with dynamic registration, client ID metadata documents and token exchange on', () => {
    const testApp = useTestApp({
      deviceAuth: {
        dynamicRegistration: true,
        clientIdMetadataDocuments: true,
        tokenExchange: { mayExchange: () => false },
      },
    });

    it('adds exactly their members, and the token-exchange grant', async () => {
      const metadata = await metadataOf(testApp.http);
      expect(Object.keys(metadata).sort()).toEqual([...ALWAYS, 'registration_endpoint', 'client_id_metadata_document_supported'].sort());
      expect(metadata).toMatchObject({ registration_endpoint: `${ISSUER}/o/register/`, client_id_metadata_document_supported: true });
      expect(metadata.grant_types_supported).toContain(TOKEN_EXCHANGE);
    });
  });

  describe('with the code flow, protected-resource metadata and OpenID scopes off', () => {
    const testApp = useTestApp({
      deviceAuth: {
        grantTypes: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
        protectedResource: false,
      },
    });

    it('drops the authorization endpoint, its response members and protected_resources', async () => {
      const metadata = await metadataOf(testApp.http);
      const gone = [
        'authorization_endpoint',
        'response_modes_supported',
        'authorization_response_iss_parameter_supported',
        'code_challenge_methods_supported',
        'protected_resources',
      ];
      expect(Object.keys(metadata).sort()).toEqual(ALWAYS.filter((member) => !gone.includes(member)).sort());
      expect(metadata.response_types_supported).toEqual([]);
      expect(metadata.grant_types_supported).toEqual(['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token']);
    });
  });
});

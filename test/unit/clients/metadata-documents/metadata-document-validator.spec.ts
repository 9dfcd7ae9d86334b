import { ClientMetadataDocumentError } from '../../../../lib/errors/client-metadata-document.error';
import { clientFromMetadataDocument } from '../../../../lib/clients/metadata-documents/metadata-document-validator';

const URL = 'https://agent.example.com/oauth/client.json';
const DEVICE_CODE = 'urn:ietf:params:oauth:grant-type:device_code';
const policy = {
  grantTypes: [DEVICE_CODE, 'refresh_token', 'client_credentials', 'authorization_code'],
  scopes: ['user:read', 'listings:read'],
};
const valid = {
  client_id: URL,
  client_name: 'Agent',
  redirect_uris: ['https://agent.example.com/callback', 'http://127.0.0.1/callback'],
  grant_types: ['authorization_code', 'refresh_token'],
  token_endpoint_auth_method: 'none',
};

const read = (document: unknown, overrides = policy) => clientFromMetadataDocument(URL, document, overrides, 1_000);
const problemOf = (document: unknown): string => {
  try {
    read(document);
  } catch (error) {
    if (error instanceof ClientMetadataDocumentError) return error.message;
    throw error;
  }
  throw new Error('the document was accepted');
};

describe('a fetched Client ID Metadata Document', () => {
  it('describes a public partner app that has what the document asks for within the host policy', () => {
    expect(read(valid)).toEqual({
      clientId: URL,
      name: 'Agent',
      type: 'public',
      mode: 'partner',
      ownerUserId: null,
      secretHash: null,
      grantTypes: ['authorization_code', 'refresh_token'],
      scopes: ['user:read', 'listings:read'],
      redirectUris: valid.redirect_uris,
      accessTokenTtl: null,
      createdAt: 1_000,
    });
  });

  it('gives the device grant without redirect URIs', () => {
    const client = read({ client_id: URL, client_name: 'Agent CLI', grant_types: [DEVICE_CODE], token_endpoint_auth_method: 'none' });
    expect(client.grantTypes).toEqual([DEVICE_CODE]);
    expect(client.redirectUris).toEqual([]);
  });

  it('never gives client_credentials, nor a grant the host does not offer, nor one it does not know', () => {
    const grantTypes = ['client_credentials', 'refresh_token', 'urn:ietf:params:oauth:grant-type:jwt-bearer', 'authorization_code'];
    expect(read({ ...valid, grant_types: grantTypes }).grantTypes).toEqual(['refresh_token', 'authorization_code']);
    expect(read(valid, { ...policy, grantTypes: [DEVICE_CODE, 'authorization_code'] }).grantTypes).toEqual(['authorization_code']);
  });

  it('defaults to the authorization code grant (RFC 7591 §2)', () => {
    const { grant_types: _omitted, ...withoutGrantTypes } = valid;
    expect(read(withoutGrantTypes).grantTypes).toEqual(['authorization_code']);
  });

  it('narrows the scopes to those its `scope` names, within the host policy', () => {
    expect(read({ ...valid, scope: 'listings:read admin' }).scopes).toEqual(['listings:read']);
  });

  it.each([
    ['not an object', ['a list'], /not a JSON object/],
    ['null', null, /not a JSON object/],
    ['another client_id', { ...valid, client_id: 'https://agent.example.com/other.json' }, /client_id is not the URL/],
    ['the same URL written otherwise', { ...valid, client_id: 'https://AGENT.example.com/oauth/client.json' }, /client_id is not the URL/],
    ['no token_endpoint_auth_method', { ...valid, token_endpoint_auth_method: undefined }, /token_endpoint_auth_method must be "none"/],
    ['a secret-based method', { ...valid, token_endpoint_auth_method: 'client_secret_basic' }, /token_endpoint_auth_method/],
    ['a client_secret', { ...valid, client_secret: 's3cret' }, /client_secret/],
    ['no client_name', { ...valid, client_name: undefined }, /client_name/],
    ['a blank client_name', { ...valid, client_name: '  ' }, /client_name/],
    ['a client_name with a line break', { ...valid, client_name: 'Agent\nApprove me' }, /client_name/],
    ['a client_name of 201 characters', { ...valid, client_name: 'x'.repeat(201) }, /client_name/],
    ['grant_types that are not a list', { ...valid, grant_types: 'authorization_code' }, /grant_types must be a list/],
    ['only client_credentials', { ...valid, grant_types: ['client_credentials'] }, /no grant this server offers/],
    ['the code flow without redirect URIs', { ...valid, redirect_uris: [] }, /redirect_uris is required/],
    ['an http redirect URI', { ...valid, redirect_uris: ['http://agent.example.com/cb'] }, /must use https/],
    ['a redirect URI with a fragment', { ...valid, redirect_uris: ['https://agent.example.com/cb#x'] }, /fragment/],
    ['a javascript: redirect URI', { ...valid, redirect_uris: ['javascript:alert(1)'] }, /must use https/],
    ['a scope that is not a string', { ...valid, scope: ['user:read'] }, /scope must be/],
  ])('is refused with %s', (_label, document, problem) => {
    expect(problemOf(document)).toMatch(problem);
  });
});

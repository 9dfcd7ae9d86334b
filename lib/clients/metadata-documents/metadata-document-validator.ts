import { OAuthClient } from '../../entities/client.entity';
import { AUTHORIZATION_CODE_GRANT_TYPE, CLIENT_CREDENTIALS_GRANT_TYPE } from '../../protocol/grant-types';
import { scopeList } from '../../protocol/scope';
import { clientNameProblem } from '../client-name';
import { redirectUriProblem } from '../redirect-uri';
import { ClientMetadataDocumentError } from '../../errors/client-metadata-document.error';

/** What this server lets such apps have: the host's policy, not the document's wishes. */
export interface MetadataDocumentPolicy {
  /** The grants the server offers to apps without a secret (the registry's public ones). */
  grantTypes: readonly string[];
  /** `clientIdMetadataDocuments.scopes`. */
  scopes: readonly string[];
}

const refuse = (problem: string): never => {
  throw new ClientMetadataDocumentError(problem);
};

function stringList(document: Record<string, unknown>, property: string): string[] | undefined {
  const value = document[property];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) return refuse(`${property} must be a list of strings`);
  return value as string[];
}

/**
 * The app a fetched document describes, as a public partner app that is never stored, or a
 * ClientMetadataDocumentError saying what is wrong: `client_id` must equal the URL fetched, the app
 * has no secret (`token_endpoint_auth_method: none`), a `client_name`, the grants it may use here
 * (RFC 7591 defaults to authorization_code) and, with the code flow, valid `redirect_uris`.
 */
export function clientFromMetadataDocument(clientId: string, document: unknown, policy: MetadataDocumentPolicy, now: number): OAuthClient {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) return refuse('it is not a JSON object');
  const fields = document as Record<string, unknown>;
  if (fields.client_id !== clientId) return refuse('its client_id is not the URL it was fetched from');
  if (fields.token_endpoint_auth_method !== 'none') {
    return refuse('token_endpoint_auth_method must be "none": such an app has no secret (omitted means client_secret_basic, RFC 7591 §2)');
  }
  if (fields.client_secret !== undefined || fields.client_secret_expires_at !== undefined)
    return refuse('it must not carry a client_secret');
  const name = fields.client_name;
  if (typeof name !== 'string') return refuse('client_name is required');
  // The same rule as a registered app's name: users read it on the approval pages.
  const nameProblem = clientNameProblem(name);
  if (nameProblem !== null) return refuse(`client_name ${nameProblem}`);
  const wanted = stringList(fields, 'grant_types') ?? [AUTHORIZATION_CODE_GRANT_TYPE];
  // RFC 6749 §4.4 reserves client credentials for apps that authenticate, whatever the policy says.
  const offered = policy.grantTypes.filter((grantType) => grantType !== CLIENT_CREDENTIALS_GRANT_TYPE);
  const grantTypes = [...new Set(wanted.filter((grantType) => offered.includes(grantType)))];
  if (grantTypes.length === 0) return refuse(`grant_types names no grant this server offers to such apps (${offered.join(', ')})`);
  const redirectUris = stringList(fields, 'redirect_uris') ?? [];
  for (const uri of redirectUris) {
    const problem = redirectUriProblem(uri);
    if (problem !== null) refuse(problem);
  }
  if (grantTypes.includes(AUTHORIZATION_CODE_GRANT_TYPE) && redirectUris.length === 0)
    return refuse('redirect_uris is required with authorization_code');
  if (fields.scope !== undefined && typeof fields.scope !== 'string') return refuse('scope must be a space-separated string');
  const scopes = fields.scope === undefined ? [...policy.scopes] : scopeList(fields.scope).filter((scope) => policy.scopes.includes(scope));
  return {
    clientId,
    name: name.trim(),
    type: 'public',
    mode: 'partner',
    ownerUserId: null,
    secretHash: null,
    grantTypes,
    scopes,
    redirectUris: [...new Set(redirectUris)],
    accessTokenTtl: null,
    createdAt: now,
  };
}

import { AUTHORIZATION_CODE_GRANT_TYPE } from '../protocol/grant-types';
import {
  InvalidClientMetadataError,
  InvalidRedirectUriError,
  InvalidRequestError,
  InvalidScopeError,
  OAuthError,
} from '../errors/oauth.error';
import { scopeWithin } from '../http/requested-scope';

/**
 * RFC 7591 §2 client metadata as this server registers it: a public app (no secret), so
 * `token_endpoint_auth_method` is always `none`; `scope` is space-delimited.
 */
export interface ClientMetadata {
  client_name: string;
  redirect_uris: string[];
  grant_types: string[];
  response_types: string[];
  token_endpoint_auth_method: 'none';
  scope: string;
}

/** More than any app needs; each is stored with the app for good. */
const MAX_REDIRECT_URIS = 10;

/** RFC 7591 §2: a client that names no grant type asks for the code grant. */
const DEFAULT_GRANT_TYPES = [AUTHORIZATION_CODE_GRANT_TYPE];

/** A list of strings, undefined when absent; anything else is refused with `refuse`. */
function stringList(value: unknown, refuse: () => OAuthError): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw refuse();
  return value;
}

const sameSet = (left: string[], right: string[]): boolean =>
  new Set(left).size === new Set(right).size && left.every((item) => right.includes(item));

function requestedScope(scope: unknown, allowed: string[]): string {
  if (scope === undefined) return allowed.join(' ');
  if (typeof scope !== 'string' || scope.trim() === '') throw new InvalidClientMetadataError('scope must be space-delimited scope names');
  try {
    return scopeWithin(allowed, scope);
  } catch (error) {
    // RFC 7591 has no invalid_scope: a scope the server will not register is refused metadata (§3.2.2).
    if (error instanceof InvalidScopeError) throw new InvalidClientMetadataError(error.description);
    throw error;
  }
}

/**
 * The metadata of a registration request (RFC 7591 §3.1), checked for shape; what the app may be
 * (grants offered, redirect URI rules, name) ClientsService decides. Members this server does not
 * know are ignored (§2). `responseTypesFor` says which response types go with the grant types (§2.1).
 */
export function requestedMetadata(
  body: unknown,
  allowedScopes: string[],
  responseTypesFor: (grantTypes: readonly string[]) => string[],
): ClientMetadata {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new InvalidRequestError('Send the client metadata as a JSON object');
  const fields = body as Record<string, unknown>;
  if (typeof fields.client_name !== 'string')
    throw new InvalidClientMetadataError('client_name is required: the name users see when they approve the app');
  const redirectUris = stringList(fields.redirect_uris, () => new InvalidRedirectUriError('redirect_uris must be a list of URLs')) ?? [];
  if (redirectUris.length > MAX_REDIRECT_URIS)
    throw new InvalidRedirectUriError(`redirect_uris may list at most ${MAX_REDIRECT_URIS} URLs`);
  const grantTypes =
    stringList(fields.grant_types, () => new InvalidClientMetadataError('grant_types must be a list of grant types')) ??
    DEFAULT_GRANT_TYPES;
  if (grantTypes.length === 0) throw new InvalidClientMetadataError('grant_types must name at least one grant type');
  const responseTypes = responseTypesFor(grantTypes);
  const requestedResponseTypes = stringList(fields.response_types, () => new InvalidClientMetadataError('response_types must be a list'));
  if (requestedResponseTypes !== undefined && !sameSet(requestedResponseTypes, responseTypes)) {
    throw new InvalidClientMetadataError(`response_types must be ${JSON.stringify(responseTypes)} with these grant types`);
  }
  const authMethod = fields.token_endpoint_auth_method;
  if (authMethod !== undefined && authMethod !== 'none') {
    throw new InvalidClientMetadataError('Only public clients register here: token_endpoint_auth_method must be "none"');
  }
  return {
    client_name: fields.client_name,
    redirect_uris: redirectUris,
    grant_types: grantTypes,
    response_types: responseTypes,
    token_endpoint_auth_method: 'none',
    scope: requestedScope(fields.scope, allowedScopes),
  };
}

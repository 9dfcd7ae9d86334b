import { OAuthClient } from '../entities/client.entity';
import { isRegisteredRedirectUri } from '../clients/redirect-uri';
import { InvalidScopeError, InvalidTargetError } from '../errors/oauth.error';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { requestedResource } from '../resource/resource-indicator';
import { CONTROL_CHARACTER } from '../http/control-characters';
import { AUTHORIZATION_CODE_GRANT_TYPE } from '../protocol/grant-types';
import { scopeWithin } from '../http/requested-scope';
import { field, isMalformed } from '../pages/form-fields';
import { S256_CHALLENGE_SHAPE } from '../protocol/pkce';

/** Every parameter of an authorization request this server reads (RFC 6749 §4.1.1, RFC 7636 §4.3, OIDC Core §3.1.2.1). */
const PARAMETERS = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
  'nonce',
  'resource',
] as const;

/** Longer state or nonce values are refused: they travel in URLs and rows. */
const MAX_VALUE_LENGTH = 2048;

/** A checked authorization request: the app, where to answer, and what the user is asked to approve. */
export interface AuthorizationRequest {
  client: OAuthClient;
  redirectUri: string;
  /** Space-delimited, within the app's scopes; all of them when the request named none. */
  scope: string;
  state?: string;
  codeChallenge: string;
  nonce?: string;
  /** RFC 8707: the resource the app asks a token for; null for `accessToken.audience`. */
  resource: string | null;
}

export type AuthorizationRequestCheck =
  | { outcome: 'valid'; request: AuthorizationRequest }
  /** RFC 6749 §4.1.2.1: without a trusted client and redirect URI, the error is shown, never redirected. */
  | { outcome: 'show-error'; problem: 'notOffered' | 'malformed' | 'noClient' | 'unknownClient' }
  | { outcome: 'show-error'; problem: 'unregisteredRedirect'; clientName: string }
  | { outcome: 'redirect-error'; redirectUri: string; state?: string; error: string; description: string };

/** The request's parameters again, as a query string: the login `returnTo` and the consent form's hidden fields. */
export function authorizationParameters(request: AuthorizationRequest): Record<string, string> {
  const parameters: Record<string, string> = {
    response_type: 'code',
    client_id: request.client.clientId,
    redirect_uri: request.redirectUri,
    scope: request.scope,
    code_challenge: request.codeChallenge,
    code_challenge_method: 'S256',
  };
  if (request.state !== undefined) parameters.state = request.state;
  if (request.nonce !== undefined) parameters.nonce = request.nonce;
  if (request.resource !== null) parameters.resource = request.resource;
  return parameters;
}

/**
 * Checks an authorization request in the order RFC 6749 §4.1.2.1 asks: the client and its redirect
 * URI first (errors shown as a page, so the endpoint is never an open redirect), then everything
 * else (errors sent back to the app with its `state`). S256 PKCE is required (RFC 9700 §2.1.1).
 */
export async function checkAuthorizationRequest(
  source: unknown,
  findClient: (clientId: string) => Promise<OAuthClient | null>,
  options: Pick<ResolvedDeviceAuthOptions, 'resources'>,
): Promise<AuthorizationRequestCheck> {
  if (isMalformed(source, 'client_id') || isMalformed(source, 'redirect_uri')) return { outcome: 'show-error', problem: 'malformed' };
  const clientId = field(source, 'client_id');
  if (clientId === undefined) return { outcome: 'show-error', problem: 'noClient' };
  const client = await findClient(clientId);
  if (!client) return { outcome: 'show-error', problem: 'unknownClient' };
  const redirectUri = field(source, 'redirect_uri');
  if (redirectUri === undefined || !isRegisteredRedirectUri(client.redirectUris, redirectUri)) {
    return { outcome: 'show-error', problem: 'unregisteredRedirect', clientName: client.name };
  }

  const isBadValue = (name: string): boolean => {
    const value = field(source, name) ?? '';
    return isMalformed(source, name) || CONTROL_CHARACTER.test(value) || value.length > MAX_VALUE_LENGTH;
  };
  const state = isBadValue('state') ? undefined : field(source, 'state');
  const refuse = (error: string, description: string): AuthorizationRequestCheck => ({
    outcome: 'redirect-error',
    redirectUri,
    state,
    error,
    description,
  });
  // RFC 8707 allows several resources; this server issues a token for one at a time (§2: invalid_target).
  if (Array.isArray((source as Record<string, unknown> | undefined)?.resource))
    return refuse('invalid_target', 'Ask for one resource per request');
  const malformed = PARAMETERS.find(isBadValue);
  if (malformed !== undefined)
    return refuse('invalid_request', `Parameter "${malformed}" must be one string value of printable characters`);

  const responseType = field(source, 'response_type');
  if (responseType === undefined) return refuse('invalid_request', 'Missing required parameter "response_type"');
  if (responseType !== 'code') return refuse('unsupported_response_type', 'Only response_type=code is supported');
  if (!client.grantTypes.includes(AUTHORIZATION_CODE_GRANT_TYPE))
    return refuse('unauthorized_client', 'This app may not use the authorization code flow');
  const codeChallenge = field(source, 'code_challenge');
  if (codeChallenge === undefined)
    return refuse('invalid_request', 'PKCE is required: send code_challenge with code_challenge_method=S256');
  if (field(source, 'code_challenge_method') !== 'S256') return refuse('invalid_request', 'Only code_challenge_method=S256 is supported');
  if (!S256_CHALLENGE_SHAPE.test(codeChallenge))
    return refuse('invalid_request', 'code_challenge must be 43 base64url characters (RFC 7636 §4.2)');
  try {
    const scope = scopeWithin(client.scopes, field(source, 'scope'));
    const resource = requestedResource(options, field(source, 'resource'));
    return { outcome: 'valid', request: { client, redirectUri, scope, state, codeChallenge, nonce: field(source, 'nonce'), resource } };
  } catch (error) {
    if (error instanceof InvalidScopeError || error instanceof InvalidTargetError) return refuse(error.error, error.description);
    throw error;
  }
}

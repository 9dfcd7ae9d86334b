import { randomBytes } from 'node:crypto';
import { s256Challenge } from '../protocol/pkce';

/** The secrets of one login: `state` comes back with the answer, the verifier goes with the code to the token endpoint. */
export interface AuthorizationSecrets {
  /** Binds the answer to this login (RFC 6749 §10.12). */
  state: string;
  /** Only its hash travels through the browser (RFC 7636), so a stolen code alone is worthless. */
  codeVerifier: string;
}

export interface AuthorizationRequestParameters {
  authorizationEndpoint: string;
  clientId: string;
  redirectUri: string;
  /** Space-delimited scopes; the client's default when absent. */
  scope?: string;
}

/** 32 random bytes: 256 bits, and a 43-character base64url PKCE verifier (RFC 7636 §4.1 asks 43–128). */
const SECRET_BYTES = 32;

export function createAuthorizationSecrets(): AuthorizationSecrets {
  return { state: randomBytes(SECRET_BYTES).toString('base64url'), codeVerifier: randomBytes(SECRET_BYTES).toString('base64url') };
}

/** The authorization request (RFC 6749 §4.1.1) with the state and the verifier's S256 challenge. */
export function authorizationUrl(parameters: AuthorizationRequestParameters, secrets: AuthorizationSecrets): string {
  // new URL keeps any query the endpoint already has (RFC 6749 §3.1).
  const url = new URL(parameters.authorizationEndpoint);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', parameters.clientId);
  url.searchParams.set('redirect_uri', parameters.redirectUri);
  if (parameters.scope) url.searchParams.set('scope', parameters.scope);
  url.searchParams.set('state', secrets.state);
  url.searchParams.set('code_challenge', s256Challenge(secrets.codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  return url.toString();
}

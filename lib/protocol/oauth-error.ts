import type { BearerChallenge } from './bearer-challenge';

/** RFC 6749 §5.2 error codes, plus the RFC 8628, RFC 6750, RFC 7591 and RFC 8707 additions. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'authorization_pending'
  | 'slow_down'
  | 'access_denied'
  | 'expired_token'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'temporarily_unavailable'
  | 'invalid_redirect_uri'
  | 'invalid_client_metadata';

/** RFC 6749 §5.2's challenge to a client that tried HTTP Basic: one fixed realm. */
export const BASIC_CHALLENGE = 'Basic realm="token"';

/**
 * The headers an error may set, each from fixed vocabulary: a challenge from the one builder, a
 * number of seconds, constants. Never request or parser text: Node refuses a header value outside
 * Latin-1 (a 500), and a header is no place to echo a client.
 */
export type OAuthErrorHeaders = {
  'WWW-Authenticate'?: BearerChallenge | typeof BASIC_CHALLENGE;
  'Retry-After'?: `${number}`;
  'Cache-Control'?: 'no-store';
  Pragma?: 'no-cache';
};

/** RFC 6749 §5.2: the JSON body of an error answer. */
export interface OAuthErrorBody {
  error: OAuthErrorCode;
  error_description: string;
}

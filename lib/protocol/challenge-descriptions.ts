/**
 * Why a presented token is refused: every `InvalidAccessTokenError` says one of these, so the
 * `invalid_token` challenge can repeat it without carrying anything the request brought.
 */
export const INVALID_TOKEN_DESCRIPTIONS = [
  'The access token is malformed',
  'The access token is invalid',
  'The access token has expired',
  'The access token has been revoked',
  'The access token was not signed by this server',
  'The access token is for another resource',
  'The personal access token is malformed',
  'Unknown personal access token',
  'The personal access token has expired',
  'The personal access token has been revoked',
] as const;

export type InvalidTokenDescription = (typeof INVALID_TOKEN_DESCRIPTIONS)[number];

/**
 * Every `error_description` a `WWW-Authenticate: Bearer` challenge may carry: module-authored,
 * fixed, and within RFC 6750 §3's characters (printable ASCII but `"` and `\`). Request and parser
 * text (a body parser's `Unexpected token '絻'`) stays in the JSON body: Node refuses a header
 * value outside Latin-1, and a header is no place to echo a client anyway.
 */
export const CHALLENGE_DESCRIPTIONS = [
  ...INVALID_TOKEN_DESCRIPTIONS,
  'Send exactly one bearer token, as Authorization: Bearer <token>',
  'This route serves users; a token an app holds for itself is not accepted here',
  'This token lacks a scope this route requires',
  'The request could not be read',
  'Send no body, or a UTF-8 application/x-www-form-urlencoded one on POST',
] as const;

export type ChallengeDescription = (typeof CHALLENGE_DESCRIPTIONS)[number];

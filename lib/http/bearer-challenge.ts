/** What a `WWW-Authenticate: Bearer` challenge may say besides the realm (RFC 6750 §3). */
export interface BearerChallengeAttributes {
  error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope';
  error_description?: string;
  /** The scopes the resource needs, space-delimited. */
  scope?: string;
  /** RFC 9728 §5.1: where the protected resource's metadata is, so a client can find its authorization server. */
  resource_metadata?: string;
}

/** Quoted-string values: quotes and backslashes are dropped rather than escaped, so no value can break out. */
const quoted = (value: string): string => `"${value.replace(/["\\]/g, '')}"`;

/** The one builder of `WWW-Authenticate: Bearer realm="…", error="…", …` for every protected endpoint. */
export function bearerChallenge(realm: string, attributes: BearerChallengeAttributes = {}): string {
  const present = Object.entries(attributes).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return 'Bearer ' + [['realm', realm], ...present].map(([name, value]) => `${name}=${quoted(value)}`).join(', ');
}

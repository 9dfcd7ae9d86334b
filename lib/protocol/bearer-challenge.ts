import { CHALLENGE_DESCRIPTIONS, type ChallengeDescription } from './challenge-descriptions';

/** What a `WWW-Authenticate: Bearer` challenge may say besides the realm (RFC 6750 §3). */
export interface BearerChallengeAttributes {
  error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope';
  /** One of the module's fixed sentences: never request or parser text (see CHALLENGE_DESCRIPTIONS). */
  error_description?: ChallengeDescription;
  /** The scopes the resource needs, space-delimited. */
  scope?: string;
  /** RFC 9728 §5.1: where the protected resource's metadata is, so a client can find its authorization server. */
  resource_metadata?: string;
}

declare const builtByBearerChallenge: unique symbol;

/** A `WWW-Authenticate` value made by `bearerChallenge`, so an error's headers cannot take just any string. */
export type BearerChallenge = string & { readonly [builtByBearerChallenge]: true };

/** The attributes a challenge names, in this order; no other name is ever written. */
const NAMES: (keyof BearerChallengeAttributes)[] = ['error', 'error_description', 'scope', 'resource_metadata'];
const ERRORS: ReadonlySet<string> = new Set(['invalid_request', 'invalid_token', 'insufficient_scope']);
const DESCRIPTIONS: ReadonlySet<string> = new Set(CHALLENGE_DESCRIPTIONS);

/**
 * RFC 6750 §3 allows printable ASCII but `"` and `\` in these values; anything else is dropped, so no
 * value can break out of its quotes or reach Node's header check (ERR_INVALID_CHAR, a 500).
 */
const quoted = (value: string): string => `"${value.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '')}"`;

/**
 * The one builder of `WWW-Authenticate: Bearer realm="…", error="…", …` for every protected
 * endpoint. The types admit only the fixed vocabulary; at run time (a cast, a JavaScript caller)
 * an error or description outside it, or an attribute of another name, is left out rather than sent.
 */
export function bearerChallenge(realm: string, attributes: BearerChallengeAttributes = {}): BearerChallenge {
  const present = NAMES.flatMap((name): [string, string][] => {
    const value: unknown = attributes[name];
    if (typeof value !== 'string') return [];
    if (name === 'error' && !ERRORS.has(value)) return [];
    if (name === 'error_description' && !DESCRIPTIONS.has(value)) return [];
    return [[name, value]];
  });
  return ('Bearer ' + [['realm', realm], ...present].map(([name, value]) => `${name}=${quoted(value)}`).join(', ')) as BearerChallenge;
}

/** RFC 8628 §3.4 grant type URN. */
export const DEVICE_CODE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code';
export const REFRESH_TOKEN_GRANT_TYPE = 'refresh_token';
export const CLIENT_CREDENTIALS_GRANT_TYPE = 'client_credentials';
export const AUTHORIZATION_CODE_GRANT_TYPE = 'authorization_code';
/** RFC 8693 §2.1: an app trades a user's access token for one that names the app as the actor. */
export const TOKEN_EXCHANGE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:token-exchange';
/** RFC 8693 §3: the token type of an access token, the only kind exchanged or issued here. */
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

/**
 * The default of the host's switch, `grantTypes`: the built-in grants offered unless it leaves them
 * out. Every other grant is switched by an option of its own (token exchange, the JWT bearer grant)
 * or by registering it (a host's `grants`).
 */
export const DEFAULT_GRANT_TYPES = [
  DEVICE_CODE_GRANT_TYPE,
  REFRESH_TOKEN_GRANT_TYPE,
  CLIENT_CREDENTIALS_GRANT_TYPE,
  AUTHORIZATION_CODE_GRANT_TYPE,
] as const;

/** A grant the host's `grantTypes` switches. */
export type SwitchedGrantType = (typeof DEFAULT_GRANT_TYPES)[number];

/** A grant type an app may be registered for: a built-in one's, or that of a grant the host registered. */
export type GrantType = SwitchedGrantType | typeof TOKEN_EXCHANGE_GRANT_TYPE | (string & {});

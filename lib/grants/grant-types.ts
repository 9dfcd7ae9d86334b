/** RFC 8628 §3.4 grant type URN. */
export const DEVICE_CODE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code';
export const REFRESH_TOKEN_GRANT_TYPE = 'refresh_token';
export const CLIENT_CREDENTIALS_GRANT_TYPE = 'client_credentials';
export const AUTHORIZATION_CODE_GRANT_TYPE = 'authorization_code';
/** RFC 8693 §2.1: an app trades a user's access token for one that names the app as the actor. */
export const TOKEN_EXCHANGE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:token-exchange';
/** RFC 8693 §3: the token type of an access token, the only kind exchanged or issued here. */
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

export const KNOWN_GRANT_TYPES = [
  DEVICE_CODE_GRANT_TYPE,
  REFRESH_TOKEN_GRANT_TYPE,
  CLIENT_CREDENTIALS_GRANT_TYPE,
  AUTHORIZATION_CODE_GRANT_TYPE,
  TOKEN_EXCHANGE_GRANT_TYPE,
] as const;

/** What a server offers without saying otherwise; token exchange needs the host's policy (`tokenExchange`). */
export const DEFAULT_GRANT_TYPES: GrantType[] = [
  DEVICE_CODE_GRANT_TYPE,
  REFRESH_TOKEN_GRANT_TYPE,
  CLIENT_CREDENTIALS_GRANT_TYPE,
  AUTHORIZATION_CODE_GRANT_TYPE,
];

export type GrantType = (typeof KNOWN_GRANT_TYPES)[number];

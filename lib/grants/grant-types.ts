/** RFC 8628 §3.4 grant type URN. */
export const DEVICE_CODE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code';
export const REFRESH_TOKEN_GRANT_TYPE = 'refresh_token';
export const CLIENT_CREDENTIALS_GRANT_TYPE = 'client_credentials';
export const AUTHORIZATION_CODE_GRANT_TYPE = 'authorization_code';

export const KNOWN_GRANT_TYPES = [
  DEVICE_CODE_GRANT_TYPE,
  REFRESH_TOKEN_GRANT_TYPE,
  CLIENT_CREDENTIALS_GRANT_TYPE,
  AUTHORIZATION_CODE_GRANT_TYPE,
] as const;

export type GrantType = (typeof KNOWN_GRANT_TYPES)[number];

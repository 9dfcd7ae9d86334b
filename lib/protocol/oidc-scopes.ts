/** OIDC Core §3.1.2.1: the scope that makes an authorization request an OpenID Connect sign-in. */
export const OPENID_SCOPE = 'openid';

/** OIDC Core §11: the scope that asks for a refresh token, where the host requires it. */
export const OFFLINE_ACCESS_SCOPE = 'offline_access';

/** RFC 6749 §5.1 successful token response. */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token?: string;
  scope: string;
  /** OpenID Connect: present when `openid` was granted at sign-in. */
  id_token?: string;
  /** Token exchange (RFC 8693 §2.2.1): what kind of token `access_token` is, an access token (§3). */
  issued_token_type?: 'urn:ietf:params:oauth:token-type:access_token';
}

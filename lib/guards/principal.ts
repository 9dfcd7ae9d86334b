/** Who a verified bearer token speaks for, as handlers see it through @DeviceAuthPrincipal(). */
export interface Principal {
  userId: string;
  /** The app the token was issued to; null for a PAT not provisioned for an app. */
  clientId: string | null;
  scopes: string[];
  /** `jwt`: an access token from a grant; `pat`: a personal access token. */
  tokenKind: 'jwt' | 'pat';
  /** The JWT's `jti`, or the PAT's id. */
  tokenId: string;
  /** When the token stops working; null for a PAT that never expires. */
  expiresAt: Date | null;
}

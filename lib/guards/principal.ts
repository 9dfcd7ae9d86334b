/** Who a verified bearer token speaks for, as handlers see it through @DeviceAuthPrincipal(). */
export interface Principal {
  userId: string;
  clientId: string;
  scopes: string[];
  /** `jwt`: an access token from a grant; `pat`: a personal access token. */
  tokenKind: 'jwt' | 'pat';
}

import type { TokenActor } from './access-token.service';

interface PrincipalBase {
  /** The app the token was issued to; null for a PAT not provisioned for an app. */
  clientId: string | null;
  scopes: string[];
  /** `jwt`: an access token from a grant; `pat`: a personal access token. */
  tokenKind: 'jwt' | 'pat';
  /** The JWT's `jti`, or the PAT's id. */
  tokenId: string;
  /** When the token stops working; null for a PAT that never expires. */
  expiresAt: Date | null;
  /**
   * The resource (API) an access token is for, its `aud` (RFC 8707); null for a PAT, which the user
   * made for this server and every resource of it accepts.
   */
  audience: string | null;
  /**
   * Token exchange (RFC 8693 `act`): the app acting for the user (`sub`, its client id), and who
   * acted before it; null for a token the user's app holds itself.
   */
  actor: TokenActor | null;
}

/** A user, acting directly (PAT) or through an app (device, code or delegated client-credentials grant). */
export interface UserPrincipal extends PrincipalBase {
  subjectKind: 'user';
  userId: string;
}

/** An app acting for itself (client credentials): no user behind it. Only routes with @AllowAppTokens() see one. */
export interface AppPrincipal extends PrincipalBase {
  subjectKind: 'app';
  userId: null;
  clientId: string;
  tokenKind: 'jwt';
}

/** Who a verified bearer token speaks for, as handlers see it through @DeviceAuthPrincipal(). */
export type Principal = UserPrincipal | AppPrincipal;

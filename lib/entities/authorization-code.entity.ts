import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { EpochMillisColumn } from './epoch-millis.column';

/** One code of the authorization-code flow (RFC 6749 §4.1), from the user's consent to its one redemption. */
@Entity('device_auth_authorization_codes')
export class AuthorizationCode {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  /** SHA-256 of the code; the code itself is never stored. */
  @Index('UQ_device_auth_authorization_code_hash', { unique: true })
  @Column({ name: 'code_hash', type: 'varchar', length: 64 })
  codeHash: string;

  // Wider than a registered id (100): it may be a client ID metadata document URL.
  @Column({ name: 'client_id', type: 'varchar', length: 255 })
  clientId: string;

  @Column({ name: 'user_id', type: 'varchar', length: 200 })
  userId: string;

  /** Space-delimited scopes the user approved. */
  @Column({ type: 'text' })
  scope: string;

  /** RFC 8707: the resource the app asked for; null for `accessToken.audience`. */
  @Column({ type: 'text', nullable: true })
  resource: string | null;

  /** The redirect URI of the request, which the token request must repeat exactly (RFC 6749 §4.1.3). */
  @Column({ name: 'redirect_uri', type: 'text' })
  redirectUri: string;

  /** RFC 7636 S256 challenge: base64url SHA-256 of the verifier. */
  @Column({ name: 'code_challenge', type: 'varchar', length: 64 })
  codeChallenge: string;

  /** OpenID Connect `nonce`, echoed in the ID token. */
  @Column({ type: 'text', nullable: true })
  nonce: string | null;

  /** When the user approved, the `auth_time` of an ID token. */
  @EpochMillisColumn({ name: 'approved_at' })
  approvedAt: number;

  @Index('IDX_device_auth_authorization_code_expires_at')
  @EpochMillisColumn({ name: 'expires_at' })
  expiresAt: number;

  /** Set by the one redemption that wins. */
  @EpochMillisColumn({ name: 'redeemed_at', nullable: true })
  redeemedAt: number | null;

  /** The grant the redemption created: a replayed code revokes it (RFC 6749 §4.1.2). */
  @Column({ name: 'grant_id', type: 'varchar', length: 36, nullable: true })
  grantId: string | null;
}

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { EpochMillisColumn } from './epoch-millis.column';

/** Why a grant ended before its time. */
export type GrantRevocationReason = 'revoked' | 'refresh_token_reuse' | 'authorization_code_reuse';

/**
 * What a user approved for one app, or what an app was given for itself (client credentials,
 * no user): every access token and every rotation of the refresh token (one family) comes from
 * it, and revoking it ends all of them.
 */
@Entity('device_auth_grants')
export class Grant {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  // Wider than a registered id (100): it may be a client ID metadata document URL.
  @Column({ name: 'client_id', type: 'varchar', length: 255 })
  clientId: string;

  /** Null for an app's own grant (client credentials): only user grants have refresh tokens. */
  @Column({ name: 'user_id', type: 'varchar', length: 200, nullable: true })
  userId: string | null;

  /** Space-delimited scopes the user approved; refreshes may narrow, never widen. */
  @Column({ type: 'text' })
  scope: string;

  /** RFC 8707: the resource (API) the tokens are for, their `aud`; null for `accessToken.audience`. */
  @Column({ type: 'text', nullable: true })
  resource: string | null;

  @EpochMillisColumn({ name: 'created_at' })
  createdAt: number;

  /** Absolute end: no refresh token of the family outlives it. */
  @Index('IDX_device_auth_grant_expires_at')
  @EpochMillisColumn({ name: 'expires_at' })
  expiresAt: number;

  @EpochMillisColumn({ name: 'revoked_at', nullable: true })
  revokedAt: number | null;

  @Column({ name: 'revocation_reason', type: 'varchar', length: 30, nullable: true })
  revocationReason: GrantRevocationReason | null;
}

/** A grant a user approved: the only kind that has refresh tokens. */
export type UserGrant = Grant & { userId: string };

export function isUserGrant(grant: Grant): grant is UserGrant {
  return grant.userId !== null;
}

/** Neither revoked nor past its end; a grant already purged (null) is as dead as a revoked one. */
export function isLiveGrant(grant: Grant | null, now: number): grant is Grant {
  return grant !== null && grant.revokedAt === null && now < grant.expiresAt;
}

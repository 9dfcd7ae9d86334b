import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { EpochMillisColumn } from './epoch-millis.column';

/** Why a grant ended before its time. */
export type GrantRevocationReason = 'revoked' | 'refresh_token_reuse';

/**
 * What a user approved for one app: every access token and every rotation of the refresh token
 * (one family) comes from it, and revoking it ends all of them.
 */
@Entity('device_auth_grants')
export class Grant {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'client_id', type: 'varchar', length: 100 })
  clientId: string;

  @Column({ name: 'user_id', type: 'varchar', length: 200 })
  userId: string;

  /** Space-delimited scopes the user approved; refreshes may narrow, never widen. */
  @Column({ type: 'text' })
  scope: string;

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

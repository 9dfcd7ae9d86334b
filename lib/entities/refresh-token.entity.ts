import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { EpochMillisColumn } from './epoch-millis.column';

/** One opaque refresh token. Tokens rotated from one grant share a family. */
@Entity('device_auth_refresh_tokens')
export class RefreshToken {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  /** SHA-256 of the token; the token itself is never stored. */
  @Index('UQ_device_auth_refresh_token_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  /** The original grant: every rotation keeps it, revocation revokes all of it. */
  @Index('IDX_device_auth_refresh_family')
  @Column({ name: 'family_id', type: 'varchar', length: 36 })
  familyId: string;

  @Column({ name: 'parent_id', type: 'varchar', length: 36, nullable: true })
  parentId: string | null;

  // Wider than a registered id (100): it may be a client ID metadata document URL.
  @Column({ name: 'client_id', type: 'varchar', length: 255 })
  clientId: string;

  @Column({ name: 'user_id', type: 'varchar', length: 200 })
  userId: string;

  @Column({ type: 'text' })
  scope: string;

  @EpochMillisColumn({ name: 'created_at' })
  createdAt: number;

  @Index('IDX_device_auth_refresh_expires_at')
  @EpochMillisColumn({ name: 'expires_at' })
  expiresAt: number;

  /** Set when the token is exchanged for its successor. */
  @EpochMillisColumn({ name: 'consumed_at', nullable: true })
  consumedAt: number | null;

  @EpochMillisColumn({ name: 'revoked_at', nullable: true })
  revokedAt: number | null;
}

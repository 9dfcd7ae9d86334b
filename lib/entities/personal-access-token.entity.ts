import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { EpochMillisColumn } from './epoch-millis.column';

/** A token a user created for scripts: `Authorization: Bearer bpat_…`. Only its digest is kept. */
@Entity('device_auth_personal_access_tokens')
export class PersonalAccessToken {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  /** SHA-256 of the token. */
  @Index('UQ_device_auth_pat_token_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  /** Prefix and last four characters, e.g. `bpat_…x9Qk`, so a user can tell tokens apart. */
  @Column({ name: 'display_hint', type: 'varchar', length: 40 })
  displayHint: string;

  @Index('IDX_device_auth_pat_user')
  @Column({ name: 'user_id', type: 'varchar', length: 200 })
  userId: string;

  /** The personal app this token was provisioned for, if any. */
  @Column({ name: 'client_id', type: 'varchar', length: 100, nullable: true })
  clientId: string | null;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** Space-delimited scopes. */
  @Column({ type: 'text' })
  scope: string;

  @EpochMillisColumn({ name: 'created_at' })
  createdAt: number;

  /** Null only where the host allows tokens that never expire. */
  @EpochMillisColumn({ name: 'expires_at', nullable: true })
  expiresAt: number | null;

  /** Written at most once a minute per token, never on every request. */
  @EpochMillisColumn({ name: 'last_used_at', nullable: true })
  lastUsedAt: number | null;

  @Column({ name: 'last_used_ip', type: 'varchar', length: 64, nullable: true })
  lastUsedIp: string | null;

  @EpochMillisColumn({ name: 'revoked_at', nullable: true })
  revokedAt: number | null;

  /** The smallest `expiryWarningDays` threshold already announced: each is announced once. */
  @Column({ name: 'expiry_warned_days', type: 'integer', nullable: true })
  expiryWarnedDays: number | null;

  /**
   * A token created on the API tokens page, sealed under a key only the creating browser's redirect
   * carries, until the page shows it once (then null). Never readable from the database alone.
   */
  @Column({ name: 'pending_reveal', type: 'text', nullable: true })
  pendingReveal: string | null;
}

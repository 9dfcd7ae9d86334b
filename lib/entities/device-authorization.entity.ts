import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { EpochMillisColumn } from './epoch-millis.column';

export type DeviceAuthorizationStatus = 'pending' | 'approved' | 'denied' | 'consumed';

/** One RFC 8628 device authorization request, from code issue to token exchange. */
@Entity('device_auth_device_authorizations')
export class DeviceAuthorization {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  /** SHA-256 of the device code; the code itself is never stored. */
  @Index('UQ_device_auth_device_code_hash', { unique: true })
  @Column({ name: 'device_code_hash', type: 'varchar', length: 64 })
  deviceCodeHash: string;

  /** HMAC of the normalised user code under the server secret (low entropy, so keyed). */
  @Index('UQ_device_auth_user_code_hash', { unique: true })
  @Column({ name: 'user_code_hash', type: 'varchar', length: 64 })
  userCodeHash: string;

  // Wider than a registered id (100): it may be a client ID metadata document URL.
  @Column({ name: 'client_id', type: 'varchar', length: 255 })
  clientId: string;

  /** Space-delimited granted scopes. */
  @Column({ type: 'text' })
  scope: string;

  /** RFC 8707: the resource the device asked for; null for `accessToken.audience`. */
  @Column({ type: 'text', nullable: true })
  resource: string | null;

  @Column({ type: 'varchar', length: 20 })
  status: DeviceAuthorizationStatus;

  /** The user who approved or denied. */
  @Column({ name: 'user_id', type: 'varchar', length: 200, nullable: true })
  userId: string | null;

  /** Seconds the client must wait between polls; grows by 5 on every slow_down. */
  @Column({ name: 'poll_interval', type: 'integer' })
  pollInterval: number;

  @EpochMillisColumn({ name: 'last_polled_at', nullable: true })
  lastPolledAt: number | null;

  /** The last poll answered slow_down: lets one UPDATE … RETURNING tell the two answers apart. */
  @EpochMillisColumn({ name: 'last_slowed_down_at', nullable: true })
  lastSlowedDownAt: number | null;

  @Column({ name: 'request_ip', type: 'varchar', length: 64, nullable: true })
  requestIp: string | null;

  @Column({ name: 'request_user_agent', type: 'varchar', length: 300, nullable: true })
  requestUserAgent: string | null;

  @EpochMillisColumn({ name: 'created_at' })
  createdAt: number;

  @Index('IDX_device_auth_device_expires_at')
  @EpochMillisColumn({ name: 'expires_at' })
  expiresAt: number;

  @EpochMillisColumn({ name: 'decided_at', nullable: true })
  decidedAt: number | null;

  /** When the device code was exchanged for tokens: a repeated poll shortly after gets tokens of the same grant. */
  @EpochMillisColumn({ name: 'consumed_at', nullable: true })
  consumedAt: number | null;

  /** The grant the exchange created, in the same transaction. */
  @Column({ name: 'grant_id', type: 'varchar', length: 36, nullable: true })
  grantId: string | null;
}

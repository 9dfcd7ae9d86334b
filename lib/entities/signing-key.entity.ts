import { Column, Entity, PrimaryColumn } from 'typeorm';
import { EpochMillisColumn } from './epoch-millis.column';

/**
 * `sig`: a JWT signing key pair; `hmac`: the server secret for user codes and CSRF tokens;
 * `issuer`: the issuer the first instance recorded, which every later instance must share.
 */
export type SigningKeyUse = 'sig' | 'hmac' | 'issuer';

/**
 * Key material the module generated itself, shared by every instance through the database, and
 * the issuer its tokens name. Hosts that keep keys in a secret manager pass
 * `accessToken.signingKeys` and `secret` instead; the issuer is recorded either way.
 */
@Entity('device_auth_signing_keys')
export class SigningKey {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  kid: string;

  @Column({ type: 'varchar', length: 10 })
  use: SigningKeyUse;

  @Column({ type: 'varchar', length: 20 })
  alg: string;

  /** The private JWK (sig), base64url secret (hmac) or issuer URL (issuer), as JSON text. */
  @Column({ type: 'text' })
  material: string;

  @EpochMillisColumn({ name: 'created_at' })
  createdAt: number;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';
import { EpochMillisColumn } from './epoch-millis.column';

export type ClientType = 'public' | 'confidential';

/** `personal`: bound to exactly one user, who alone may approve and own its tokens. */
export type ClientMode = 'personal' | 'partner';

/** An app that may ask for tokens. */
@Entity('device_auth_clients')
export class OAuthClient {
  @PrimaryColumn({ name: 'client_id', type: 'varchar', length: 100 })
  clientId: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 20 })
  type: ClientType;

  @Column({ type: 'varchar', length: 20 })
  mode: ClientMode;

  @Column({ name: 'owner_user_id', type: 'varchar', length: 200, nullable: true })
  ownerUserId: string | null;

  /** SHA-256 of the client secret (confidential clients only). */
  @Column({ name: 'secret_hash', type: 'varchar', length: 64, nullable: true })
  secretHash: string | null;

  @Column({ name: 'grant_types', type: 'simple-array' })
  grantTypes: string[];

  @Column({ type: 'simple-array' })
  scopes: string[];

  /** Where the authorization-code flow may send the user back; matched exactly (loopback: any port). */
  @Column({ name: 'redirect_uris', type: 'simple-json' })
  redirectUris: string[];

  /** Seconds this app's access tokens live; the module's `accessToken.ttl` when null. */
  @Column({ name: 'access_token_ttl', type: 'integer', nullable: true })
  accessTokenTtl: number | null;

  @EpochMillisColumn({ name: 'created_at' })
  createdAt: number;
}

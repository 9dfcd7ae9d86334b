import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A person who signs in to the sample app with a username and password. */
@Entity('sample_users')
export class User {
  /** A random UUID. */
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Index('UQ_sample_users_username', { unique: true })
  @Column({ type: 'varchar', length: 100 })
  username: string;

  @Column({ name: 'display_name', type: 'varchar', length: 200 })
  displayName: string;

  /** `scrypt$<salt base64>$<hash base64>`; see password-hash.ts. */
  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash: string;
}

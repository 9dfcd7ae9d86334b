import { Column, Entity, Index, PrimaryColumn, ValueTransformer } from 'typeorm';

// PostgreSQL returns bigint as a string, SQLite as a number: both become a number.
const epochMillis: ValueTransformer = {
  to: (value: number) => value,
  from: (value: string | number | bigint) => Number(value),
};

/** Something a user offers for sale. */
@Entity('sample_listings')
export class Listing {
  /** A random UUID. */
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Index('IDX_sample_listings_owner_user_id')
  @Column({ name: 'owner_user_id', type: 'varchar', length: 36 })
  ownerUserId: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ name: 'price_cents', type: 'integer' })
  priceCents: number;

  /** Milliseconds since the Unix epoch. */
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt: number;
}

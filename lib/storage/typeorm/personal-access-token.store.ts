import { Injectable } from '@nestjs/common';
import { LAST_USED_RESOLUTION_MS, PersonalAccessTokenStore } from '../personal-access-token.store';
import { IsNull } from 'typeorm';
import { PersonalAccessToken } from '../../entities/personal-access-token.entity';
import { purgeBatch } from './purge-batch';
import { insertUnlessTaken } from './row-insert';
import { TypeOrmUnitOfWork } from './unit-of-work';

/** How long revoked and expired PATs stay listed for their owner before they are purged. */
const DAY_MS = 24 * 3600 * 1000;
const KEEP_ENDED_MS = 30 * DAY_MS;

@Injectable()
export class TypeOrmPersonalAccessTokenStore implements PersonalAccessTokenStore {
  constructor(private readonly units: TypeOrmUnitOfWork) {}

  private get rows() {
    return this.units.repository(PersonalAccessToken);
  }

  async insert(row: PersonalAccessToken): Promise<void> {
    await this.units.write(() => this.rows.insert(row));
  }

  /** Inserts the row; false when its id (or digest) is already taken: another request created it first. */
  insertUnlessTaken(row: PersonalAccessToken): Promise<boolean> {
    return this.units.write(() => insertUnlessTaken(this.rows, row));
  }

  findOfUser(userId: string, id: string): Promise<PersonalAccessToken | null> {
    return this.rows.findOneBy({ id, userId });
  }

  /** Drops the sealed token held for its one showing; true for the one caller that dropped it. */
  async takePendingReveal(userId: string, id: string, sealed: string): Promise<boolean> {
    const result = await this.units.write(() => this.rows.update({ id, userId, pendingReveal: sealed }, { pendingReveal: null }));
    return (result.affected ?? 0) > 0;
  }

  /** Sealed tokens nobody came to see: dropped once their showing window (created before `before`) has passed. */
  async dropStaleRevealsBatch(before: number, batchSize: number): Promise<number> {
    const rows: { id: string }[] = await this.rows
      .createQueryBuilder('row')
      .select('row.id', 'id')
      .where('row.pending_reveal IS NOT NULL AND row.created_at < :before', { before })
      .limit(batchSize)
      .getRawMany();
    if (rows.length === 0) return 0;
    await this.units.write(() =>
      this.rows.update(
        rows.map((row) => row.id),
        { pendingReveal: null },
      ),
    );
    return rows.length;
  }

  findByHash(tokenHash: string): Promise<PersonalAccessToken | null> {
    return this.rows.findOneBy({ tokenHash });
  }

  listByUser(userId: string): Promise<PersonalAccessToken[]> {
    return this.rows.find({ where: { userId }, order: { createdAt: 'DESC', id: 'ASC' } });
  }

  /** Revokes one of the user's own tokens; false if there is no such live token of theirs. */
  async revoke(userId: string, id: string, now: number): Promise<boolean> {
    const result = await this.units.write(() => this.rows.update({ id, userId, revokedAt: IsNull() }, { revokedAt: now }));
    return (result.affected ?? 0) > 0;
  }

  /** Stamps last use, unless another request stamped it within the last minute. */
  async touch(id: string, now: number, ip: string | null): Promise<void> {
    await this.units.write(() =>
      this.rows
        .createQueryBuilder()
        .update()
        .set({ lastUsedAt: now, lastUsedIp: ip })
        .where('id = :id AND (last_used_at IS NULL OR last_used_at <= :stale)', { id, stale: now - LAST_USED_RESOLUTION_MS })
        .execute(),
    );
  }

  /**
   * Live tokens that expire within `days` and whose owner has not been warned at this threshold
   * or a nearer one yet, a batch at a time.
   */
  expiringUnwarned(now: number, days: number, batchSize: number): Promise<PersonalAccessToken[]> {
    return this.rows
      .createQueryBuilder('row')
      .where('row.revoked_at IS NULL AND row.expires_at > :now AND row.expires_at <= :until', { now, until: now + days * DAY_MS })
      .andWhere('(row.expiry_warned_days IS NULL OR row.expiry_warned_days > :days)', { days })
      .orderBy('row.expires_at', 'ASC')
      .take(batchSize)
      .getMany();
  }

  /** Records the warning at `days`; false when another instance recorded it (or a nearer one) first. */
  async claimExpiryWarning(id: string, days: number): Promise<boolean> {
    const result = await this.units.write(() =>
      this.rows
        .createQueryBuilder()
        .update()
        .set({ expiryWarnedDays: days })
        .where('id = :id AND (expiry_warned_days IS NULL OR expiry_warned_days > :days)', { id, days })
        .execute(),
    );
    return (result.affected ?? 0) > 0;
  }

  /** Tokens revoked or expired more than 30 days ago: long enough for their owner to see what ended. */
  purgeBatch(now: number, batchSize: number): Promise<number> {
    const before = now - KEEP_ENDED_MS;
    return purgeBatch(this.units, this.rows, 'row.revoked_at < :before OR row.expires_at < :before', { before }, batchSize);
  }
}

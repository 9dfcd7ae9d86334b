import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { PersonalAccessToken } from '../entities/personal-access-token.entity';
import { purgeBatch } from './purge-batch';

/** How often a token's last-used stamp may be written. */
export const LAST_USED_RESOLUTION_MS = 60_000;

/** How long revoked and expired PATs stay listed for their owner before they are purged. */
const KEEP_ENDED_MS = 30 * 24 * 3600 * 1000;

@Injectable()
export class PersonalAccessTokenStore {
  constructor(@InjectRepository(PersonalAccessToken) private readonly rows: Repository<PersonalAccessToken>) {}

  async insert(row: PersonalAccessToken): Promise<void> {
    await this.rows.insert(row);
  }

  findByHash(tokenHash: string): Promise<PersonalAccessToken | null> {
    return this.rows.findOneBy({ tokenHash });
  }

  listByUser(userId: string): Promise<PersonalAccessToken[]> {
    return this.rows.find({ where: { userId }, order: { createdAt: 'DESC', id: 'ASC' } });
  }

  /** Revokes one of the user's own tokens; false if there is no such live token of theirs. */
  async revoke(userId: string, id: string, now: number): Promise<boolean> {
    const result = await this.rows.update({ id, userId, revokedAt: IsNull() }, { revokedAt: now });
    return (result.affected ?? 0) > 0;
  }

  /** Stamps last use, unless another request stamped it within the last minute. */
  async touch(id: string, now: number, ip: string | null): Promise<void> {
    await this.rows
      .createQueryBuilder()
      .update()
      .set({ lastUsedAt: now, lastUsedIp: ip })
      .where('id = :id AND (last_used_at IS NULL OR last_used_at <= :stale)', { id, stale: now - LAST_USED_RESOLUTION_MS })
      .execute();
  }

  /** Tokens revoked or expired more than 30 days ago: long enough for their owner to see what ended. */
  purgeBatch(now: number, batchSize: number): Promise<number> {
    const before = now - KEEP_ENDED_MS;
    return purgeBatch(this.rows, 'row.revoked_at < :before OR row.expires_at < :before', { before }, batchSize);
  }
}

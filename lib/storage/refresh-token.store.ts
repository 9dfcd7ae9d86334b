import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { RefreshToken } from '../entities/refresh-token.entity';
import { purgeBatch } from './purge-batch';
import { insertRow } from './row-insert';
import { insertUnlessTaken } from './unique-violation';

/** Not yet exchanged, not revoked, not expired. */
export function isLiveRefreshToken(token: RefreshToken, now: number): boolean {
  return token.consumedAt === null && token.revokedAt === null && now < token.expiresAt;
}

/** Refresh tokens, stored by digest. */
@Injectable()
export class RefreshTokenStore {
  constructor(@InjectRepository(RefreshToken) private readonly rows: Repository<RefreshToken>) {}

  async insert(row: RefreshToken): Promise<void> {
    await insertRow(this.rows, row);
  }

  findByHash(tokenHash: string): Promise<RefreshToken | null> {
    return this.rows.findOneBy({ tokenHash });
  }

  /**
   * Rotation, decided by the unique index: the successor's digest is derived from the parent, so
   * of any number of concurrent rotations exactly one inserts it. False for the others.
   */
  insertSuccessor(successor: RefreshToken): Promise<boolean> {
    return insertUnlessTaken(this.rows, successor);
  }

  /** Marks the parent spent unless it was revoked meanwhile; false means it was. */
  async markSpent(id: string, now: number): Promise<boolean> {
    const result = await this.rows.update({ id, consumedAt: IsNull(), revokedAt: IsNull() }, { consumedAt: now });
    return (result.affected ?? 0) > 0;
  }

  async delete(id: string): Promise<void> {
    await this.rows.delete({ id });
  }

  /**
   * Expired and revoked tokens. Spent ones stay until they expire: reuse detection needs them
   * to recognise a replayed token and revoke its family.
   */
  purgeBatch(now: number, batchSize: number): Promise<number> {
    return purgeBatch(this.rows, 'row.expires_at < :now OR row.revoked_at IS NOT NULL', { now }, batchSize);
  }
}

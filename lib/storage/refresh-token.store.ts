import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { RefreshToken } from '../entities/refresh-token.entity';
import { purgeBatch } from './purge-batch';
import { insertRow, insertUnlessTaken } from './row-insert';
import { UnitOfWork } from './unit-of-work';

/** Not yet exchanged, not revoked, not expired. */
export function isLiveRefreshToken(token: RefreshToken, now: number): boolean {
  return token.consumedAt === null && token.revokedAt === null && now < token.expiresAt;
}

/** Refresh tokens, stored by digest. */
@Injectable()
export class RefreshTokenStore {
  constructor(private readonly units: UnitOfWork) {}

  private get rows() {
    return this.units.repository(RefreshToken);
  }

  async insert(row: RefreshToken): Promise<void> {
    await this.units.write(() => insertRow(this.rows, row));
  }

  findByHash(tokenHash: string): Promise<RefreshToken | null> {
    return this.rows.findOneBy({ tokenHash });
  }

  /**
   * Rotation, decided by the unique index: the successor's digest is derived from the parent, so
   * of any number of concurrent rotations exactly one inserts it. False for the others.
   */
  insertSuccessor(successor: RefreshToken): Promise<boolean> {
    return this.units.write(() => insertUnlessTaken(this.rows, successor));
  }

  /** Marks the parent spent unless it was revoked (or spent) meanwhile; false means it was. */
  async markSpent(id: string, now: number): Promise<boolean> {
    const result = await this.units.write(() => this.rows.update({ id, consumedAt: IsNull(), revokedAt: IsNull() }, { consumedAt: now }));
    return (result.affected ?? 0) > 0;
  }

  /**
   * Expired and revoked tokens. Spent ones stay until they expire: reuse detection needs them
   * to recognise a replayed token and revoke its family.
   */
  purgeBatch(now: number, batchSize: number): Promise<number> {
    return purgeBatch(this.units, this.rows, 'row.expires_at < :now OR row.revoked_at IS NOT NULL', { now }, batchSize);
  }
}

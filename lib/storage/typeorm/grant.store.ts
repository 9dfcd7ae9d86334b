import { Injectable } from '@nestjs/common';
import { IsNull, MoreThan } from 'typeorm';
import { Grant, GrantRevocationReason } from '../../entities/grant.entity';
import { RefreshToken } from '../../entities/refresh-token.entity';
import { GrantStore } from '../grant.store';
import { purgeBatch } from './purge-batch';
import { insertRow, insertUnlessTaken } from './row-insert';
import { TypeOrmUnitOfWork } from './unit-of-work';

const MAX_LIVE_GRANTS_LISTED = 50;

/** Grants and their refresh tokens in two tables; revoking a grant updates both in one transaction. */
@Injectable()
export class TypeOrmGrantStore implements GrantStore {
  constructor(private readonly units: TypeOrmUnitOfWork) {}

  private get grants() {
    return this.units.repository(Grant);
  }

  private get refreshTokens() {
    return this.units.repository(RefreshToken);
  }

  async insert(grant: Grant): Promise<void> {
    await this.units.write(() => insertRow(this.grants, grant));
  }

  findById(id: string): Promise<Grant | null> {
    return this.grants.findOneBy({ id });
  }

  listLive(clientId: string, userId: string, now: number): Promise<Grant[]> {
    return this.grants.find({
      where: { clientId, userId, revokedAt: IsNull(), expiresAt: MoreThan(now) },
      order: { createdAt: 'DESC', id: 'ASC' },
      take: MAX_LIVE_GRANTS_LISTED,
    });
  }

  revoke(id: string, reason: GrantRevocationReason, now: number): Promise<boolean> {
    return this.units.run(async () => {
      const result = await this.grants.update({ id, revokedAt: IsNull() }, { revokedAt: now, revocationReason: reason });
      await this.refreshTokens.update({ familyId: id, revokedAt: IsNull() }, { revokedAt: now });
      return (result.affected ?? 0) > 0;
    });
  }

  purgeBatch(now: number, batchSize: number): Promise<number> {
    return purgeBatch(this.units, this.grants, 'row.expires_at < :now OR row.revoked_at IS NOT NULL', { now }, batchSize);
  }

  async insertRefreshToken(row: RefreshToken): Promise<void> {
    await this.units.write(() => insertRow(this.refreshTokens, row));
  }

  findRefreshTokenByHash(tokenHash: string): Promise<RefreshToken | null> {
    return this.refreshTokens.findOneBy({ tokenHash });
  }

  /** The unique index on the digest decides. */
  insertSuccessor(successor: RefreshToken): Promise<boolean> {
    return this.units.write(() => insertUnlessTaken(this.refreshTokens, successor));
  }

  async markRefreshTokenSpent(id: string, now: number): Promise<boolean> {
    const result = await this.units.write(() =>
      this.refreshTokens.update({ id, consumedAt: IsNull(), revokedAt: IsNull() }, { consumedAt: now }),
    );
    return (result.affected ?? 0) > 0;
  }

  purgeRefreshTokensBatch(now: number, batchSize: number): Promise<number> {
    return purgeBatch(this.units, this.refreshTokens, 'row.expires_at < :now OR row.revoked_at IS NOT NULL', { now }, batchSize);
  }
}

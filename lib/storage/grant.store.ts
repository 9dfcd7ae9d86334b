import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, Repository } from 'typeorm';
import { Grant, GrantRevocationReason } from '../entities/grant.entity';
import { RefreshToken } from '../entities/refresh-token.entity';
import { purgeBatch } from './purge-batch';
import { insertRow } from './row-insert';

const MAX_LIVE_GRANTS_LISTED = 50;

/** Grants, and revoking one together with its whole refresh-token family. */
@Injectable()
export class GrantStore {
  constructor(
    @InjectRepository(Grant) private readonly grants: Repository<Grant>,
    @InjectRepository(RefreshToken) private readonly refreshTokens: Repository<RefreshToken>,
  ) {}

  async insert(grant: Grant): Promise<void> {
    await insertRow(this.grants, grant);
  }

  findById(id: string): Promise<Grant | null> {
    return this.grants.findOneBy({ id });
  }

  /** The user's live grants to this app, newest first (a bounded few: each sign-in makes one). */
  listLive(clientId: string, userId: string, now: number): Promise<Grant[]> {
    return this.grants.find({
      where: { clientId, userId, revokedAt: IsNull(), expiresAt: MoreThan(now) },
      order: { createdAt: 'DESC', id: 'ASC' },
      take: MAX_LIVE_GRANTS_LISTED,
    });
  }

  /** Removes a grant that never issued a token (its code was redeemed by someone else first). */
  async delete(id: string): Promise<void> {
    await this.grants.delete({ id });
  }

  /** Revokes the grant and every refresh token of its family; true if this call revoked it. */
  async revoke(id: string, reason: GrantRevocationReason, now: number): Promise<boolean> {
    const result = await this.grants.update({ id, revokedAt: IsNull() }, { revokedAt: now, revocationReason: reason });
    await this.refreshTokens.update({ familyId: id, revokedAt: IsNull() }, { revokedAt: now });
    return (result.affected ?? 0) > 0;
  }

  /**
   * Ended grants. The guard treats a missing grant as revoked, so deleting one can never
   * revive its access tokens.
   */
  purgeBatch(now: number, batchSize: number): Promise<number> {
    return purgeBatch(this.grants, 'row.expires_at < :now OR row.revoked_at IS NOT NULL', { now }, batchSize);
  }
}

import { Injectable } from '@nestjs/common';
import { IsNull, MoreThan } from 'typeorm';
import { Grant, GrantRevocationReason } from '../entities/grant.entity';
import { RefreshToken } from '../entities/refresh-token.entity';
import { purgeBatch } from './purge-batch';
import { insertRow } from './row-insert';
import { UnitOfWork } from './unit-of-work';

const MAX_LIVE_GRANTS_LISTED = 50;

/** Grants, and revoking one together with its whole refresh-token family. */
@Injectable()
export class GrantStore {
  constructor(private readonly units: UnitOfWork) {}

  private get grants() {
    return this.units.repository(Grant);
  }

  async insert(grant: Grant): Promise<void> {
    await this.units.write(() => insertRow(this.grants, grant));
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

  /** Revokes the grant and every refresh token of its family, together; true if this call revoked it. */
  revoke(id: string, reason: GrantRevocationReason, now: number): Promise<boolean> {
    return this.units.run(async () => {
      const result = await this.grants.update({ id, revokedAt: IsNull() }, { revokedAt: now, revocationReason: reason });
      await this.units.repository(RefreshToken).update({ familyId: id, revokedAt: IsNull() }, { revokedAt: now });
      return (result.affected ?? 0) > 0;
    });
  }

  /**
   * Ended grants. The guard treats a missing grant as revoked, so deleting one can never
   * revive its access tokens.
   */
  purgeBatch(now: number, batchSize: number): Promise<number> {
    return purgeBatch(this.units, this.grants, 'row.expires_at < :now OR row.revoked_at IS NOT NULL', { now }, batchSize);
  }
}

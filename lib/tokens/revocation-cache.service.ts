import { Injectable } from '@nestjs/common';
import { CacheInvalidation } from '../cache/cache-invalidation.service';
import { ExpiringCache } from '../cache/expiring-cache';
import { isLiveGrant } from '../entities/grant.entity';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { GrantStore } from '../storage/grant.store';

/**
 * Whether a grant is revoked, for the guard's hot path. JWTs are verified locally; this adds at
 * most one indexed read per grant per `accessToken.revocationCacheSeconds`. A revocation made
 * through this instance is seen at once; one made elsewhere at once with Redis (CacheInvalidation),
 * else within the staleness bound.
 */
@Injectable()
export class RevocationCache {
  private readonly revokedByGrant: ExpiringCache<boolean>;

  constructor(
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    private readonly grants: GrantStore,
    private readonly invalidation: CacheInvalidation,
  ) {
    this.revokedByGrant = new ExpiringCache(options.accessToken.revocationCacheSeconds * 1000);
    invalidation.on('grant-revoked', (grantId) => this.revokedByGrant.set(grantId, true, this.options.clock.now()));
  }

  async isRevoked(grantId: string): Promise<boolean> {
    const now = this.options.clock.now();
    const cached = this.revokedByGrant.get(grantId, now);
    if (cached !== undefined) return cached;
    const grant = await this.grants.findById(grantId);
    const revoked = !isLiveGrant(grant, now);
    this.revokedByGrant.set(grantId, revoked, now);
    return revoked;
  }

  markRevoked(grantId: string): Promise<void> {
    return this.invalidation.announce('grant-revoked', grantId);
  }
}

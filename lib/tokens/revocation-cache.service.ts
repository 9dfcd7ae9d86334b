import { Injectable } from '@nestjs/common';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { GrantStore } from '../storage/grant.store';

/** Grants remembered at once; the oldest-checked are forgotten first. */
const MAX_ENTRIES = 10_000;

interface Entry {
  revoked: boolean;
  checkedAt: number;
}

/**
 * Whether a grant is revoked, for the guard's hot path. JWTs are verified locally; this adds at
 * most one indexed read per grant per `accessToken.revocationCacheSeconds`. A revocation made
 * through this instance is seen at once; one made elsewhere within the staleness bound.
 */
@Injectable()
export class RevocationCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    private readonly grants: GrantStore,
  ) {}

  async isRevoked(grantId: string): Promise<boolean> {
    const now = this.options.clock.now();
    const cached = this.entries.get(grantId);
    if (cached && (cached.revoked || now - cached.checkedAt < this.options.accessToken.revocationCacheSeconds * 1000)) {
      return cached.revoked;
    }
    const grant = await this.grants.findById(grantId);
    // A grant purged after its end is as dead as a revoked one.
    const revoked = !grant || grant.revokedAt !== null || now >= grant.expiresAt;
    this.remember(grantId, { revoked, checkedAt: now });
    return revoked;
  }

  markRevoked(grantId: string): void {
    this.remember(grantId, { revoked: true, checkedAt: this.options.clock.now() });
  }

  private remember(grantId: string, entry: Entry): void {
    this.entries.delete(grantId);
    this.entries.set(grantId, entry);
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
  }
}

import { Injectable } from '@nestjs/common';
import { Grant, GrantRevocationReason } from '../entities/grant.entity';
import { DeviceAuthEvents } from '../events/device-auth-events';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { GrantStore } from '../storage/grant.store';
import { RevocationCache } from './revocation-cache.service';

/** Ends a grant: its refresh tokens die at once, its access tokens at every instance's guard at once with Redis, else within the cache bound. */
@Injectable()
export class GrantRevocation {
  constructor(
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    private readonly grants: GrantStore,
    private readonly cache: RevocationCache,
    private readonly events: DeviceAuthEvents,
  ) {}

  async revoke(grant: Grant, reason: GrantRevocationReason): Promise<void> {
    const revokedNow = await this.grants.revoke(grant.id, reason, this.options.clock.now());
    await this.cache.markRevoked(grant.id);
    if (!revokedNow) return;
    const who = { clientId: grant.clientId, userId: grant.userId };
    if (reason === 'refresh_token_reuse') this.events.emit('refresh_token.reuse_detected', { familyId: grant.id, ...who });
    else if (reason === 'authorization_code_reuse') this.events.emit('authorization_code.reuse_detected', { grantId: grant.id, ...who });
    else this.events.emit('token.revoked', { grantId: grant.id, ...who });
  }

  /** For host code: revoke by id (e.g. "sign out of all CLIs"); unknown ids are ignored. */
  async revokeById(grantId: string): Promise<void> {
    const grant = await this.grants.findById(grantId);
    if (grant) await this.revoke(grant, 'revoked');
  }
}

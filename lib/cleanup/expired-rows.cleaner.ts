import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DEFAULT_CLEANUP } from '../options/defaults';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { AuthorizationCodeStore } from '../storage/authorization-code.store';
import { DeviceAuthorizationStore } from '../storage/device-authorization.store';
import { GrantStore } from '../storage/grant.store';
import { PersonalAccessTokensService } from '../pats/personal-access-tokens.service';
import { PersonalAccessTokenStore } from '../storage/personal-access-token.store';

export interface PurgeCounts {
  deviceAuthorizations: number;
  authorizationCodes: number;
  refreshTokens: number;
  grants: number;
  personalAccessTokens: number;
  /** Expiry warnings emitted (`personal_access_token.expiring`). */
  expiryWarnings: number;
  /** Tokens made on the API tokens page whose sealed value waited unseen past its showing window, and was dropped. */
  unshownTokens: number;
}

/** Bound on batches per table and purge, so one purge always ends; the next one continues. */
const MAX_BATCHES = 100;

/**
 * Purges expired and spent rows in bounded batches so the tables do not grow without end, and warns of PATs about to expire. Runs
 * every `cleanup.intervalSeconds` unless `cleanup: false`; hosts with their own scheduler call
 * `purge()` themselves. Several instances purging at once is harmless.
 */
@Injectable()
export class ExpiredRowsCleaner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ExpiredRowsCleaner');
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    private readonly deviceAuthorizations: DeviceAuthorizationStore,
    private readonly authorizationCodes: AuthorizationCodeStore,
    private readonly grants: GrantStore,
    private readonly personalAccessTokens: PersonalAccessTokenStore,
    private readonly personalAccessTokensService: PersonalAccessTokensService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.cleanup === false) return;
    this.timer = setInterval(() => {
      this.purge().catch((error: unknown) => this.logger.error(`Purge failed: ${String(error)}`));
    }, this.options.cleanup.intervalSeconds * 1000);
    this.timer.unref(); // never keeps the process alive on its own
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async purge(): Promise<PurgeCounts> {
    const now = this.options.clock.now();
    return {
      deviceAuthorizations: await this.drain((batch) =>
        this.deviceAuthorizations.purgeBatch(now, now - this.options.deviceCode.repeatPollSeconds * 1000, batch),
      ),
      authorizationCodes: await this.drain((batch) => this.authorizationCodes.purgeBatch(now, batch)),
      refreshTokens: await this.drain((batch) => this.grants.purgeRefreshTokensBatch(now, batch)),
      grants: await this.drain((batch) => this.grants.purgeBatch(now, batch)),
      personalAccessTokens: await this.drain((batch) => this.personalAccessTokens.purgeBatch(now, batch)),
      expiryWarnings: await this.drain((batch) => this.personalAccessTokensService.warnOfExpiringTokens(batch)),
      unshownTokens: await this.drain((batch) => this.personalAccessTokensService.dropStaleReveals(batch)),
    };
  }

  private async drain(purgeBatch: (batchSize: number) => Promise<number>): Promise<number> {
    const batchSize = this.options.cleanup === false ? DEFAULT_CLEANUP.batchSize : this.options.cleanup.batchSize;
    let total = 0;
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const deleted = await purgeBatch(batchSize);
      total += deleted;
      if (deleted < batchSize) break;
    }
    return total;
  }
}

import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ClientsService, InjectDeviceAuthOptions, ResolvedDeviceAuthOptions } from '../../lib';
import { ClientStore } from '../../lib/storage';
import { ALICE, BOB } from '../users/seed-users';
import { UsersService } from '../users/users.service';
import { ClientSeed, reportsServiceSeed, sampleCliSeed, teamCliSeed } from './seed-clients';

/**
 * Creates the demo users and CLI apps at every start, after the migrations have run. Idempotent:
 * it only inserts what is missing, so restarts and several instances are safe.
 */
@Injectable()
export class SampleSeeder implements OnApplicationBootstrap {
  /** Secrets of confidential apps this start registered: shown once, as a console shows them once. */
  readonly newClientSecrets: { clientId: string; clientSecret: string }[] = [];

  constructor(
    private readonly users: UsersService,
    private readonly clients: ClientsService,
    private readonly clientStore: ClientStore,
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.seed();
  }

  async seed(): Promise<void> {
    const alice = await this.users.ensureUser(ALICE);
    await this.users.ensureUser(BOB);
    await this.ensureClient(sampleCliSeed(alice.id));
    await this.ensureClient(teamCliSeed());
    await this.ensureClient(reportsServiceSeed());
  }

  /** Each demo app with the grants this server offers (a host may turn some off with `grantTypes`). */
  private async ensureClient(full: ClientSeed): Promise<void> {
    const seed = { ...full, grantTypes: full.grantTypes.filter((grantType) => this.options.grantTypes.includes(grantType)) };
    // Ask the store, not ClientsService: its lookup caches "unknown" for a few seconds, and this
    // instance would then refuse an app another instance is registering at this very moment.
    if (await this.clientStore.findById(seed.clientId)) return;
    try {
      const { clientSecret } = await this.clients.register(seed);
      if (clientSecret !== undefined) this.newClientSecrets.push({ clientId: seed.clientId, clientSecret });
    } catch (error) {
      // Another instance seeding the same database at the same moment registered it first.
      if (!(await this.clientStore.findById(seed.clientId))) throw error;
    }
  }
}

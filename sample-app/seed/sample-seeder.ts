import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ClientsService } from '../../lib';
import { ALICE, BOB } from '../users/seed-users';
import { UsersService } from '../users/users.service';
import { ClientSeed, sampleCliSeed, teamCliSeed } from './seed-clients';

/**
 * Creates the demo users and CLI apps at every start, after the migrations have run. Idempotent:
 * it only inserts what is missing, so restarts and several instances are safe.
 */
@Injectable()
export class SampleSeeder implements OnApplicationBootstrap {
  constructor(
    private readonly users: UsersService,
    private readonly clients: ClientsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.seed();
  }

  async seed(): Promise<void> {
    const alice = await this.users.ensureUser(ALICE);
    await this.users.ensureUser(BOB);
    await this.ensureClient(sampleCliSeed(alice.id));
    await this.ensureClient(teamCliSeed());
  }

  private async ensureClient(seed: ClientSeed): Promise<void> {
    if ((await this.clients.findById(seed.clientId)) !== null) return;
    try {
      await this.clients.register(seed);
    } catch (error) {
      // Another instance seeding the same database at the same moment registered it first.
      if ((await this.clients.findById(seed.clientId)) === null) throw error;
    }
  }
}

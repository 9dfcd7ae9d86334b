import { Injectable } from '@nestjs/common';
import { OAuthClient } from '../entities/client.entity';
import { UnitOfWork } from './unit-of-work';

/** Registered apps, by client id. */
@Injectable()
export class ClientStore {
  constructor(private readonly units: UnitOfWork) {}

  private get rows() {
    return this.units.repository(OAuthClient);
  }

  findById(clientId: string): Promise<OAuthClient | null> {
    return this.rows.findOneBy({ clientId });
  }

  async insert(client: OAuthClient): Promise<void> {
    await this.units.write(() => this.rows.insert(client));
  }
}

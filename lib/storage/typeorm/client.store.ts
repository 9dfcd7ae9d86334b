import { Injectable } from '@nestjs/common';
import { ClientStore } from '../client.store';
import { OAuthClient } from '../../entities/client.entity';
import { TypeOrmUnitOfWork } from './unit-of-work';

/** Registered apps, by client id. */
@Injectable()
export class TypeOrmClientStore implements ClientStore {
  constructor(private readonly units: TypeOrmUnitOfWork) {}

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

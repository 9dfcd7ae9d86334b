import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { OAuthClient } from '../entities/client.entity';

/** Registered apps, by client id. */
@Injectable()
export class ClientStore {
  constructor(@InjectRepository(OAuthClient) private readonly rows: Repository<OAuthClient>) {}

  findById(clientId: string): Promise<OAuthClient | null> {
    return this.rows.findOneBy({ clientId });
  }

  async insert(client: OAuthClient): Promise<void> {
    await this.rows.insert(client);
  }
}

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { RefreshToken } from '../entities/refresh-token.entity';

/** Refresh tokens, stored by digest. */
@Injectable()
export class RefreshTokenStore {
  constructor(@InjectRepository(RefreshToken) private readonly rows: Repository<RefreshToken>) {}

  async insert(row: RefreshToken): Promise<void> {
    await this.rows.insert(row);
  }

  findByHash(tokenHash: string): Promise<RefreshToken | null> {
    return this.rows.findOneBy({ tokenHash });
  }
}

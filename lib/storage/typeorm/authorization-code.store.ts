import { Injectable } from '@nestjs/common';
import { AuthorizationCodeStore } from '../authorization-code.store';
import { IsNull } from 'typeorm';
import { AuthorizationCode } from '../../entities/authorization-code.entity';
import { purgeBatch } from './purge-batch';
import { TypeOrmUnitOfWork } from './unit-of-work';

/** Authorization codes, stored by digest; redemption is one conditional UPDATE. */
@Injectable()
export class TypeOrmAuthorizationCodeStore implements AuthorizationCodeStore {
  constructor(private readonly units: TypeOrmUnitOfWork) {}

  private get rows() {
    return this.units.repository(AuthorizationCode);
  }

  async insert(row: AuthorizationCode): Promise<void> {
    await this.units.write(() => this.rows.insert(row));
  }

  findByHash(codeHash: string): Promise<AuthorizationCode | null> {
    return this.rows.findOneBy({ codeHash });
  }

  findById(id: string): Promise<AuthorizationCode | null> {
    return this.rows.findOneBy({ id });
  }

  /** Single use: of any number of concurrent redemptions exactly one records its grant; false for the rest. */
  async redeem(id: string, grantId: string, now: number): Promise<boolean> {
    const result = await this.units.write(() => this.rows.update({ id, redeemedAt: IsNull() }, { redeemedAt: now, grantId }));
    return (result.affected ?? 0) > 0;
  }

  /** Expired codes. Redeemed ones stay until then, so a replay is recognised and revokes what the code minted. */
  purgeBatch(now: number, batchSize: number): Promise<number> {
    return purgeBatch(this.units, this.rows, 'row.expires_at < :now', { now }, batchSize);
  }
}

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DeviceAuthorization } from '../entities/device-authorization.entity';
import { purgeBatch } from './purge-batch';
import { insertUnlessTaken } from './unique-violation';

/** RFC 8628 §3.5: every slow_down adds 5 seconds to the polling interval. */
const SLOW_DOWN_STEP_SECONDS = 5;

/**
 * Device authorizations. Every state change is one conditional UPDATE whose affected-row count
 * decides it, so concurrent polls or clicks cannot both win.
 */
@Injectable()
export class DeviceAuthorizationStore {
  constructor(@InjectRepository(DeviceAuthorization) private readonly rows: Repository<DeviceAuthorization>) {}

  /** False when the user code (or device code) collides with an existing row: draw new codes. */
  insert(row: DeviceAuthorization): Promise<boolean> {
    return insertUnlessTaken(this.rows, row);
  }

  findByDeviceCodeHash(deviceCodeHash: string): Promise<DeviceAuthorization | null> {
    return this.rows.findOneBy({ deviceCodeHash });
  }

  findByUserCodeHash(userCodeHash: string): Promise<DeviceAuthorization | null> {
    return this.rows.findOneBy({ userCodeHash });
  }

  /** Records a poll of a pending request if it respects the interval; false means slow down. */
  async recordPoll(id: string, now: number): Promise<boolean> {
    const result = await this.rows
      .createQueryBuilder()
      .update()
      .set({ lastPolledAt: now })
      .where('id = :id', { id })
      .andWhere('(last_polled_at IS NULL OR last_polled_at + poll_interval * 1000 <= :now)', { now })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Grows the interval for every later poll (kept in the row, so it holds across instances). */
  async slowDown(id: string, now: number): Promise<number> {
    await this.rows
      .createQueryBuilder()
      .update()
      .set({ pollInterval: () => `poll_interval + ${SLOW_DOWN_STEP_SECONDS}`, lastPolledAt: now })
      .where('id = :id', { id })
      .execute();
    const row = await this.rows.findOneByOrFail({ id });
    return row.pollInterval;
  }

  /** Approves or denies a pending, unexpired request; false if it was no longer pending. */
  async decide(id: string, decision: 'approved' | 'denied', userId: string, now: number): Promise<boolean> {
    const result = await this.rows
      .createQueryBuilder()
      .update()
      .set({ status: decision, userId, decidedAt: now })
      .where('id = :id AND status = :pending AND expires_at > :now', { id, pending: 'pending', now })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Single use: exactly one caller turns an approved request into a consumed one. */
  async consume(id: string): Promise<boolean> {
    const result = await this.rows
      .createQueryBuilder()
      .update()
      .set({ status: 'consumed' })
      .where('id = :id AND status = :approved', { id, approved: 'approved' })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Expired requests, and used ones (a used device code is refused the same way once gone). */
  purgeBatch(now: number, batchSize: number): Promise<number> {
    return purgeBatch(this.rows, 'row.expires_at < :now OR row.status = :consumed', { now, consumed: 'consumed' }, batchSize);
  }
}

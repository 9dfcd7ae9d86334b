import { Injectable } from '@nestjs/common';
import { DeviceAuthorizationStore, PendingPoll } from '../device-authorization.store';
import { DeviceAuthorization } from '../../entities/device-authorization.entity';
import { purgeBatch } from './purge-batch';
import { insertUnlessTaken } from './row-insert';
import { TypeOrmUnitOfWork } from './unit-of-work';

/** RFC 8628 §3.5: every slow_down adds 5 seconds to the polling interval. */
const SLOW_DOWN_STEP_SECONDS = 5;

/**
 * Device authorizations. Every state change is one conditional UPDATE whose affected-row count
 * decides it, so concurrent polls or clicks cannot both win.
 */
@Injectable()
export class TypeOrmDeviceAuthorizationStore implements DeviceAuthorizationStore {
  constructor(private readonly units: TypeOrmUnitOfWork) {}

  private get rows() {
    return this.units.repository(DeviceAuthorization);
  }

  /** False when the user code (or device code) collides with an existing row: draw new codes. */
  insert(row: DeviceAuthorization): Promise<boolean> {
    return this.units.write(() => insertUnlessTaken(this.rows, row));
  }

  findByDeviceCodeHash(deviceCodeHash: string): Promise<DeviceAuthorization | null> {
    return this.rows.findOneBy({ deviceCodeHash });
  }

  findByUserCodeHash(userCodeHash: string): Promise<DeviceAuthorization | null> {
    return this.rows.findOneBy({ userCodeHash });
  }

  /**
   * A poll of a pending, unexpired request of this client, in one statement: records it and, when
   * it came sooner than the interval, grows the interval (kept in the row, so it holds across
   * instances). Null when the request is not pending for this client (approved, denied, expired,
   * unknown): the caller then reads the row to say which.
   */
  async pollPending(deviceCodeHash: string, clientId: string, now: number): Promise<PendingPoll | null> {
    const tooSoon = 'last_polled_at IS NOT NULL AND last_polled_at + poll_interval * 1000 > :now';
    const sql = `UPDATE ${this.rows.metadata.tablePath}
      SET poll_interval = CASE WHEN ${tooSoon} THEN poll_interval + ${SLOW_DOWN_STEP_SECONDS} ELSE poll_interval END,
          last_slowed_down_at = CASE WHEN ${tooSoon} THEN :now ELSE last_slowed_down_at END,
          last_polled_at = :now
      WHERE device_code_hash = :deviceCodeHash AND client_id = :clientId AND status = 'pending' AND expires_at > :now
      RETURNING poll_interval, last_slowed_down_at`;
    const [query, parameters] = this.rows.manager.connection.driver.escapeQueryWithParameters(sql, { now, deviceCodeHash, clientId });
    const raw: unknown = await this.units.write(() => this.rows.query(query, parameters));
    // PostgreSQL answers an UPDATE with [rows, count]; SQLite with the rows.
    const rows = (Array.isArray(raw) && Array.isArray(raw[0]) ? raw[0] : raw) as {
      poll_interval: number | string;
      last_slowed_down_at: number | string | null;
    }[];
    if (rows.length === 0) return null;
    const [row] = rows;
    return {
      intervalSeconds: Number(row.poll_interval),
      slowedDown: row.last_slowed_down_at !== null && Number(row.last_slowed_down_at) === now,
    };
  }

  /** Approves or denies a pending, unexpired request; false if it was no longer pending. */
  async decide(id: string, decision: 'approved' | 'denied', userId: string, now: number): Promise<boolean> {
    const result = await this.units.write(() =>
      this.rows
        .createQueryBuilder()
        .update()
        .set({ status: decision, userId, decidedAt: now })
        .where('id = :id AND status = :pending AND expires_at > :now', { id, pending: 'pending', now })
        .execute(),
    );
    return (result.affected ?? 0) > 0;
  }

  /** Single use: exactly one caller turns an approved request into a consumed one, naming the grant it became. */
  async consume(id: string, grantId: string, now: number): Promise<boolean> {
    const result = await this.units.write(() =>
      this.rows
        .createQueryBuilder()
        .update()
        .set({ status: 'consumed', grantId, consumedAt: now })
        .where('id = :id AND status = :approved', { id, approved: 'approved' })
        .execute(),
    );
    return (result.affected ?? 0) > 0;
  }

  /**
   * Expired requests, and used ones once a repeated poll may no longer collect their tokens
   * (`usedSince`); a used device code is refused the same way once gone.
   */
  purgeBatch(now: number, usedSince: number, batchSize: number): Promise<number> {
    const used = "row.status = 'consumed' AND (row.consumed_at IS NULL OR row.consumed_at < :usedSince)";
    const expired = "row.expires_at < :now AND row.status <> 'consumed'";
    return purgeBatch(this.units, this.rows, `${used} OR ${expired}`, { now, usedSince }, batchSize);
  }
}

import type { DeviceAuthorization } from '../entities/device-authorization.entity';

/** What a pending poll answers: keep waiting, or slow down to the new interval. */
export interface PendingPoll {
  intervalSeconds: number;
  slowedDown: boolean;
}

/**
 * Device authorizations (RFC 8628), stored by the digests of their codes. Every state change is
 * conditional and atomic, so concurrent polls or clicks cannot both win.
 */
export abstract class DeviceAuthorizationStore {
  /** False when the user code (or device code) collides with an existing row: the caller draws new codes. */
  abstract insert(row: DeviceAuthorization): Promise<boolean>;

  abstract findByDeviceCodeHash(deviceCodeHash: string): Promise<DeviceAuthorization | null>;

  abstract findByUserCodeHash(userCodeHash: string): Promise<DeviceAuthorization | null>;

  /**
   * A poll of a pending, unexpired request of this client, atomically: records it at `now` and, when
   * it came sooner than the interval after the last one, adds 5 seconds to the interval (RFC 8628
   * §3.5; kept in the row, so it holds across instances). Null when the request is not pending for
   * this client (approved, denied, expired, unknown): the caller then reads the row to say which.
   */
  abstract pollPending(deviceCodeHash: string, clientId: string, now: number): Promise<PendingPoll | null>;

  /** Approves or denies a pending, unexpired request; false if it was no longer pending. */
  abstract decide(id: string, decision: 'approved' | 'denied', userId: string, now: number): Promise<boolean>;

  /** Single use: exactly one caller turns an approved request into a consumed one, naming the grant it became. */
  abstract consume(id: string, grantId: string, now: number): Promise<boolean>;

  /**
   * Deletes up to `batchSize` expired requests, and used ones consumed before `usedSince` (a repeated
   * poll may no longer collect their tokens); how many went.
   */
  abstract purgeBatch(now: number, usedSince: number, batchSize: number): Promise<number>;
}

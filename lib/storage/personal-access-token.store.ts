import type { PersonalAccessToken } from '../entities/personal-access-token.entity';

/** How often a token's last-used stamp may be written. */
export const LAST_USED_RESOLUTION_MS = 60_000;

/** Personal access tokens, stored by digest. */
export abstract class PersonalAccessTokenStore {
  abstract insert(row: PersonalAccessToken): Promise<void>;

  /** Inserts the row; false when its id (or digest) is already taken: another request created it first. */
  abstract insertUnlessTaken(row: PersonalAccessToken): Promise<boolean>;

  abstract findOfUser(userId: string, id: string): Promise<PersonalAccessToken | null>;

  abstract findByHash(tokenHash: string): Promise<PersonalAccessToken | null>;

  /** The user's tokens, newest first, ended ones included. */
  abstract listByUser(userId: string): Promise<PersonalAccessToken[]>;

  /** Drops the sealed token held for its one showing if it is still `sealed`; true for the one caller that dropped it. */
  abstract takePendingReveal(userId: string, id: string, sealed: string): Promise<boolean>;

  /** Drops up to `batchSize` sealed tokens of rows created before `before` (their showing window passed); how many. */
  abstract dropStaleRevealsBatch(before: number, batchSize: number): Promise<number>;

  /** Revokes one of the user's own tokens; false if there is no such live token of theirs. */
  abstract revoke(userId: string, id: string, now: number): Promise<boolean>;

  /** Stamps last use and address, unless a stamp was written within LAST_USED_RESOLUTION_MS before `now`. */
  abstract touch(id: string, now: number, ip: string | null): Promise<void>;

  /**
   * Up to `batchSize` live tokens that expire within `days` of `now`, soonest first, whose owner
   * has not been warned at this threshold or a nearer one yet.
   */
  abstract expiringUnwarned(now: number, days: number, batchSize: number): Promise<PersonalAccessToken[]>;

  /** Records the warning at `days`; false when another instance recorded it (or a nearer one) first. */
  abstract claimExpiryWarning(id: string, days: number): Promise<boolean>;

  /** Deletes up to `batchSize` tokens revoked or expired more than 30 days before `now`; how many went. */
  abstract purgeBatch(now: number, batchSize: number): Promise<number>;
}

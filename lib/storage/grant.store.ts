import type { Grant, GrantRevocationReason } from '../entities/grant.entity';
import type { RefreshToken } from '../entities/refresh-token.entity';

/** Not yet exchanged, not revoked, not expired. */
export function isLiveRefreshToken(token: RefreshToken, now: number): boolean {
  return token.consumedAt === null && token.revokedAt === null && now < token.expiresAt;
}

/**
 * Grants and their refresh-token families, one aggregate: revoking a grant revokes its family
 * together. Refresh tokens are stored by digest.
 */
export abstract class GrantStore {
  abstract insert(grant: Grant): Promise<void>;

  abstract findById(id: string): Promise<Grant | null>;

  /** The user's live grants to this app, newest first (a bounded few, at most 50). */
  abstract listLive(clientId: string, userId: string, now: number): Promise<Grant[]>;

  /** Revokes the grant and every refresh token of its family, atomically; true if this call revoked it. */
  abstract revoke(id: string, reason: GrantRevocationReason, now: number): Promise<boolean>;

  /**
   * Deletes up to `batchSize` grants that expired or were revoked; how many went. The guard treats
   * a missing grant as revoked, so deleting one never revives its access tokens.
   */
  abstract purgeBatch(now: number, batchSize: number): Promise<number>;

  abstract insertRefreshToken(row: RefreshToken): Promise<void>;

  abstract findRefreshTokenByHash(tokenHash: string): Promise<RefreshToken | null>;

  /**
   * Rotation, decided by uniqueness of the digest: the successor's digest is derived from the
   * parent, so of any number of concurrent rotations exactly one inserts it. False for the others.
   */
  abstract insertSuccessor(successor: RefreshToken): Promise<boolean>;

  /** Marks the refresh token spent unless it was revoked (or spent) meanwhile; false means it was. */
  abstract markRefreshTokenSpent(id: string, now: number): Promise<boolean>;

  /**
   * Deletes up to `batchSize` expired and revoked refresh tokens; how many went. Spent ones stay
   * until they expire: reuse detection needs them to recognise a replay and revoke its family.
   */
  abstract purgeRefreshTokensBatch(now: number, batchSize: number): Promise<number>;
}

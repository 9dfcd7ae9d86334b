import type { AuthorizationCode } from '../entities/authorization-code.entity';

/** Authorization codes of the code flow, stored by digest. */
export abstract class AuthorizationCodeStore {
  abstract insert(row: AuthorizationCode): Promise<void>;

  abstract findByHash(codeHash: string): Promise<AuthorizationCode | null>;

  abstract findById(id: string): Promise<AuthorizationCode | null>;

  /** Single use: of any number of concurrent redemptions exactly one records its grant; false for the rest. */
  abstract redeem(id: string, grantId: string, now: number): Promise<boolean>;

  /**
   * Deletes up to `batchSize` expired codes; how many went. Redeemed ones stay until then, so a
   * replay is recognised and revokes what the code minted.
   */
  abstract purgeBatch(now: number, batchSize: number): Promise<number>;
}

/**
 * Part of the storage contract: `run` makes a unit of work atomic, so a crash leaves it whole or
 * absent (a device code consumed together with its grant and first refresh token, a successor
 * refresh token together with its spent parent). Stores whose writes `work` makes must join the
 * unit this opens; conditional updates inside it still decide races. The default is TypeORM's
 * (one transaction); a host whose stores live elsewhere supplies its own with `storage.unitOfWork`.
 */
export abstract class UnitOfWork {
  /** Runs `work` as one unit: all of its writes happen when it resolves, none when it throws. Joins a unit already open. */
  abstract run<T>(work: () => Promise<T>): Promise<T>;
}

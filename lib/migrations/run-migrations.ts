import type { DataSource, Migration } from 'typeorm';
import { withDatabaseLock } from '../storage/typeorm/database-lock';

/**
 * Runs the data source's pending migrations (the host's and DEVICE_AUTH_MIGRATIONS) one instance
 * at a time: on PostgreSQL under an advisory lock, so instances that start together on an empty
 * database neither run a migration twice nor fail on each other's tables. Use it instead of
 * TypeORM's `migrationsRun` when several instances share the database.
 */
export function runMigrationsExclusively(dataSource: DataSource): Promise<Migration[]> {
  return withDatabaseLock(dataSource, 'migrations', () => dataSource.runMigrations());
}

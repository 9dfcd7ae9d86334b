import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** A PostgreSQL advisory-lock key (a signed 64-bit integer) named after what it guards. */
function advisoryLockKey(name: string): string {
  return createHash('sha256').update(`nest-device-auth:${name}`).digest().readBigInt64BE(0).toString();
}

/**
 * Runs `work` while this process holds the database-wide lock `name`, so instances sharing one
 * PostgreSQL database take turns (e.g. two starting at the same moment on an empty database).
 * The lock is a session advisory lock on a connection of its own: PostgreSQL releases it if the
 * process dies. SQLite needs none: each process writes under the file's own lock.
 */
export async function withDatabaseLock<T>(dataSource: DataSource, name: string, work: () => Promise<T>): Promise<T> {
  if (dataSource.options.type !== 'postgres') return work();
  const key = advisoryLockKey(name);
  const lockHolder = dataSource.createQueryRunner();
  try {
    await lockHolder.query('SELECT pg_advisory_lock($1)', [key]);
    try {
      return await work();
    } finally {
      await lockHolder.query('SELECT pg_advisory_unlock($1)', [key]);
    }
  } finally {
    await lockHolder.release();
  }
}

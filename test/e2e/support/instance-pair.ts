import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeviceAuthModuleOptions } from '../../../lib';
import { BootOptions, bootTestApp, SharedDatabase, TestApp, usesPostgres, withPostgres } from './test-app';
import { TestClock } from './test-clock';

export interface InstancePair {
  a: TestApp;
  b: TestApp;
  close(): Promise<void>;
}

/** A database both instances use: a temporary SQLite file, or a PostgreSQL schema; and how to remove it. */
export async function sharedDatabase(): Promise<{ database: SharedDatabase; remove: () => Promise<void> }> {
  if (usesPostgres()) {
    const databaseUrl = process.env.DATABASE_URL as string;
    const postgresSchema = `t_${process.pid}_${process.env.JEST_WORKER_ID ?? '0'}_pair_${randomUUID().slice(0, 8)}`;
    await withPostgres(databaseUrl, (client) => client.query(`CREATE SCHEMA ${postgresSchema}`));
    const remove = () => withPostgres(databaseUrl, (client) => client.query(`DROP SCHEMA IF EXISTS ${postgresSchema} CASCADE`));
    return { database: { databaseUrl, postgresSchema }, remove };
  }
  const directory = mkdtempSync(join(tmpdir(), 'nest-device-auth-pair-'));
  return {
    database: { databaseUrl: `sqlite:${join(directory, 'shared.sqlite')}` },
    remove: async () => rmSync(directory, { recursive: true }),
  };
}

/** The Redis both instances use: its URL, or the `redis` option (e.g. with timeouts) without a key prefix. */
export type PairRedis = string | Omit<NonNullable<DeviceAuthModuleOptions['redis']>, 'keyPrefix'>;

/**
 * Two instances of the sample app in this process, as behind a load balancer: one database, one
 * clock, and one Redis (`redis`) under a key prefix of their own, so no other run sees their keys.
 * A boots first and runs the migrations; B finds them done.
 */
export async function bootInstancePair(redis: PairRedis, options: BootOptions = {}): Promise<InstancePair> {
  const { database, remove } = await sharedDatabase();
  const shared: BootOptions = {
    ...options,
    sharedDatabase: database,
    clock: new TestClock(),
    deviceAuth: {
      ...options.deviceAuth,
      redis: { ...(typeof redis === 'string' ? { url: redis } : redis), keyPrefix: `test-${randomUUID()}:` },
    },
  };
  const a = await bootTestApp(shared);
  const b = await bootTestApp(shared);
  return {
    a,
    b,
    close: async () => {
      await Promise.all([a.close(), b.close()]);
      await remove();
    },
  };
}

import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { Clock, DeviceAuthModuleOptions } from '../lib';

/** Everything the sample host needs to start; `main.ts` reads it from the environment. */
export interface SampleAppConfig {
  /** `sqlite:<path>`, `sqlite::memory:` or `postgres://…`; the SQLite file `data/sample.sqlite` when absent. */
  databaseUrl?: string;
  /** PostgreSQL only: the schema the tables live in (it must already exist). */
  postgresSchema?: string;
  /** The authorization server's public URL, e.g. `http://localhost:3000`. */
  issuer: string;
  /** `redis://…` (REDIS_URL): rate-limit counters and cache invalidation shared by every instance; none when absent. */
  redisUrl?: string;
  /** REDIS_KEY_PREFIX: the start of every Redis key, so apps (or test runs) sharing a Redis stay apart. */
  redisKeyPrefix?: string;
  /** The source of "now" for tokens and listings; the system clock when absent. */
  clock?: Clock;
  /** Further DeviceAuthModule options (lifetimes, cleanup, events), e.g. for tests. */
  deviceAuth?: Partial<DeviceAuthModuleOptions>;
  /** How long connecting and a query may wait; DEFAULT_DATABASE_TIMEOUTS when absent. */
  databaseTimeouts?: DatabaseTimeouts;
}

/**
 * Bounds on waiting for the database, so a request during an outage answers 503 in seconds
 * instead of hanging. PostgreSQL: pg's `connectionTimeoutMillis` (TypeORM's `connectTimeoutMS`)
 * for a new connection or a free one from the pool; the server's `statement_timeout` for a query,
 * with pg's client-side `query_timeout` a second later as the backstop for a network that
 * stalls (the server cannot cancel what it never hears about). SQLite: `queryMs` is
 * the busy timeout, how long a write waits for another connection's lock (blocking the process).
 */
export interface DatabaseTimeouts {
  connectMs: number;
  queryMs: number;
}

/** `queryMs` is better-sqlite3's own default busy timeout; our queries are single indexed rows. */
export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = { connectMs: 5_000, queryMs: 5_000 };

/** How much longer pg's client-side timer waits than the server's statement_timeout. */
const NETWORK_BACKSTOP_MS = 1_000;

export const DEFAULT_SQLITE_FILE = 'data/sample.sqlite';

/** DeviceAuthModule's `redis` option from REDIS_URL and REDIS_KEY_PREFIX: none when the URL is unset or empty. */
export function redisOptionsFromUrl(url?: string, keyPrefix?: string): DeviceAuthModuleOptions['redis'] {
  if (url === undefined || url === '') return undefined;
  return keyPrefix === undefined || keyPrefix === '' ? { url } : { url, keyPrefix };
}

/** DeviceAuthModule's `dynamicRegistration` from DYNAMIC_REGISTRATION: off when unset, `open` to anyone, else the initial access token. */
export function dynamicRegistrationFromEnv(value?: string): DeviceAuthModuleOptions['dynamicRegistration'] {
  if (value === undefined || value === '') return undefined;
  return value === 'open' ? true : { initialAccessToken: value };
}

/** Turns DATABASE_URL into TypeORM connection options (without entities or migrations). */
export function databaseOptionsFromUrl(
  url?: string,
  postgresSchema?: string,
  timeouts: DatabaseTimeouts = DEFAULT_DATABASE_TIMEOUTS,
): DataSourceOptions {
  if (url === undefined || url === '') return sqliteFile(DEFAULT_SQLITE_FILE, timeouts);
  if (url === 'sqlite::memory:') return { type: 'better-sqlite3', database: ':memory:' };
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path === '') throw new Error('DATABASE_URL "sqlite:" needs a file path, e.g. sqlite:data/sample.sqlite');
    return sqliteFile(path, timeouts);
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const bounded = {
      type: 'postgres',
      url,
      connectTimeoutMS: timeouts.connectMs,
      extra: { statement_timeout: timeouts.queryMs, query_timeout: timeouts.queryMs + NETWORK_BACKSTOP_MS },
    } as const;
    if (postgresSchema === undefined || postgresSchema === '') return bounded;
    return { ...bounded, schema: postgresSchema, extra: { ...bounded.extra, options: `-c search_path=${postgresSchema}` } };
  }
  throw new Error('DATABASE_URL must be sqlite:<path>, sqlite::memory: or a postgres:// (postgresql://) URL');
}

function sqliteFile(path: string, timeouts: DatabaseTimeouts): DataSourceOptions {
  const file = resolve(process.cwd(), path);
  mkdirSync(dirname(file), { recursive: true });
  return {
    type: 'better-sqlite3',
    database: file,
    // SQLite's default rollback journal syncs the disk on every write (~1,800 inserts/s here);
    // write-ahead logging with NORMAL sync is ~25x faster and still crash-safe (a power cut may
    // lose the last transactions, never corrupt the file). Every device authorization is a write.
    enableWAL: true,
    timeout: timeouts.queryMs,
    prepareDatabase: (db: { pragma(statement: string): unknown }) => {
      db.pragma('synchronous = NORMAL');
    },
  };
}

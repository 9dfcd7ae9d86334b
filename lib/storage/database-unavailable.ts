import { SharedStoreUnavailableError } from '../errors/shared-store-unavailable.error';

/**
 * Socket errors of a database server that cannot be reached, or of a connection that broke
 * under a query (PostgreSQL through node-postgres).
 */
const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL SQLSTATEs that say "not now" rather than "not this": class 08 (connection
 * exception), class 53 (insufficient resources: too many connections, disk full), 57P01–57P04
 * (shutting down, crashed, starting up, database dropped), 57014 (statement_timeout reached),
 * 25006 (a read-only server, such as a standby after a failover).
 */
const POSTGRES_UNAVAILABLE = /^(08...|53...|57P0[1-4]|57014|25006)$/;

/** SQLite result codes (with their extended forms, e.g. SQLITE_READONLY_DBMOVED) of a file that cannot take the query now. */
const SQLITE_UNAVAILABLE = /^SQLITE_(READONLY|BUSY|CANTOPEN|IOERR|FULL)(_|$)/;

/** node-postgres's own connection and timeout errors, which carry no code. */
const NODE_POSTGRES_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'Client has encountered a connection error and is not queryable',
];

/** How far down `driverError` / `cause` links are followed (TypeORM's QueryFailedError wraps the driver's error). */
const MAX_WRAPPING_DEPTH = 4;

/**
 * The one place that decides whether an error means the database is away (unreachable, timed
 * out, shutting down, read-only, locked) rather than that the request or the code is wrong.
 * Every answer format maps it once: 503 OAuth JSON, the guard's 503, a 503 page.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof SharedStoreUnavailableError) return true;
  let current: unknown = error;
  for (let depth = 0; depth < MAX_WRAPPING_DEPTH && typeof current === 'object' && current !== null; depth++) {
    const { code, message, driverError, cause } = current as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
    if (typeof code === 'string' && (NETWORK_ERROR_CODES.has(code) || POSTGRES_UNAVAILABLE.test(code) || SQLITE_UNAVAILABLE.test(code))) {
      return true;
    }
    if (typeof message === 'string' && NODE_POSTGRES_MESSAGES.some((known) => message.startsWith(known))) return true;
    current = driverError ?? cause;
  }
  return false;
}

import { isDatabaseUnavailable } from '../../../lib/storage/database-unavailable';

/** An error as a driver throws it, with a code, optionally wrapped as TypeORM's QueryFailedError wraps it. */
const withCode = (code: string, message = 'driver error') => Object.assign(new Error(message), { code });
const wrapped = (driverError: Error) => Object.assign(new Error(`query failed: ${driverError.message}`), { driverError });

describe('isDatabaseUnavailable: an outage (503) or a fault (500)', () => {
  it.each([
    ['connection refused', withCode('ECONNREFUSED')],
    ['connection reset', withCode('ECONNRESET')],
    ['connect timed out', withCode('ETIMEDOUT')],
    ['host not found', withCode('ENOTFOUND')],
    [
      'PostgreSQL shutting down (57P01), wrapped by TypeORM',
      wrapped(withCode('57P01', 'terminating connection due to administrator command')),
    ],
    ['PostgreSQL starting up (57P03)', withCode('57P03')],
    ['PostgreSQL statement_timeout (57014)', withCode('57014')],
    ['PostgreSQL too many connections (53300)', withCode('53300')],
    ['PostgreSQL connection failure (08006)', withCode('08006')],
    ['PostgreSQL read-only standby (25006)', wrapped(withCode('25006'))],
    ['pg: connection ended under a query', new Error('Connection terminated unexpectedly')],
    ['pg-pool: no connection in time', new Error('timeout exceeded when trying to connect')],
    ['pg: query_timeout', wrapped(new Error('Query read timeout'))],
    [
      'pg-pool: connect timeout, the cause kept',
      new Error('Connection terminated due to connection timeout', { cause: new Error('timeout expired') }),
    ],
    ['SQLite read-only file', wrapped(withCode('SQLITE_READONLY', 'attempt to write a readonly database'))],
    ['SQLite file moved away', withCode('SQLITE_READONLY_DBMOVED')],
    ['SQLite lock held elsewhere', withCode('SQLITE_BUSY')],
    ['SQLite disk I/O error', withCode('SQLITE_IOERR_WRITE')],
    ['SQLite disk full', withCode('SQLITE_FULL')],
  ])('%s is an outage', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation (23505)', wrapped(withCode('23505'))],
    ['a syntax error (42601)', withCode('42601')],
    ['an SQLite constraint', withCode('SQLITE_CONSTRAINT_UNIQUE')],
    ['SQLITE_READONLYX is not a code', withCode('SQLITE_READONLYX')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['not an error at all', 'ECONNREFUSED'],
    ['nothing', undefined],
  ])('%s is not', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});

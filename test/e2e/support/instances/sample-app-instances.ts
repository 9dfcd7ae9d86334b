import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { SampleAppConfig } from '../../../../sample-app/config';
import { ISSUER, withPostgres } from '../test-app';
import { announcedPort } from './listening-line';

const REGISTER_TYPESCRIPT = join(__dirname, '..', 'swc-register.js');
const INSTANCE_ENTRY = join(__dirname, 'sample-app-instance.main.ts');
/** Bounds on real events: a process starting (migrations included) on a busy 2-core machine, and stopping. */
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
/** For the `beforeAll` that starts instances: the start bound, plus room for the schema. */
export const INSTANCES_HOOK_TIMEOUT_MS = START_TIMEOUT_MS + 30_000;

/** One sample-app process: `http` is its base URL, usable wherever the support helpers take a test app. */
export interface SampleAppInstance {
  name: string;
  http: string;
}

export interface SampleAppInstances {
  /** The instances, in start order (A, B, …); all share one PostgreSQL schema and one issuer. */
  list: SampleAppInstance[];
  /** Runs SQL in the instances' schema, as an operator's psql would. */
  query<Row = Record<string, unknown>>(sql: string, parameters?: unknown[]): Promise<Row[]>;
  /** Stops every instance (SIGTERM, SIGKILL after a bound) and drops the schema. */
  stop(): Promise<void>;
}

export interface InstancesOptions {
  /** DeviceAuthModule options for every instance (JSON: lifetimes, intervals, cache bounds). */
  deviceAuth?: SampleAppConfig['deviceAuth'];
}

const running = new Set<ChildProcess>();
// A last guard when Jest exits without afterAll (the children also exit when their stdin closes).
process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));

let schemaCounter = 0;

/**
 * Starts `count` sample-app processes at the same moment on one fresh PostgreSQL schema of
 * DATABASE_URL (and REDIS_URL, when set), and resolves once every one listens. If one fails to
 * start, all are stopped and the error carries its output.
 */
export async function startSampleAppInstances(count: number, options: InstancesOptions = {}): Promise<SampleAppInstances> {
  const databaseUrl = process.env.DATABASE_URL ?? '';
  const schema = `i_${process.pid}_${process.env.JEST_WORKER_ID ?? '0'}_${++schemaCounter}`;
  await withPostgres(databaseUrl, (client) => client.query(`CREATE SCHEMA ${schema}`));
  const children = Array.from({ length: count }, () =>
    spawn(process.execPath, ['-r', REGISTER_TYPESCRIPT, INSTANCE_ENTRY], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        DATABASE_SCHEMA: schema,
        // The instances of one run share counters and invalidations; other runs never see their keys.
        REDIS_KEY_PREFIX: `${schema}:`,
        ISSUER,
        DEVICE_AUTH_OPTIONS: JSON.stringify(options.deviceAuth ?? {}),
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
  );
  children.forEach((child) => running.add(child));
  const stop = async (): Promise<void> => {
    await Promise.all(children.map(stopProcess));
    await withPostgres(databaseUrl, (client) => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
  };
  const ports = await Promise.allSettled(children.map(listeningPort));
  const failure = ports.find((port) => port.status === 'rejected');
  if (failure) {
    await stop();
    throw failure.reason;
  }
  return {
    list: ports.map((port, index) => ({
      name: String.fromCharCode('A'.charCodeAt(0) + index),
      http: `http://127.0.0.1:${(port as PromiseFulfilledResult<number>).value}`,
    })),
    query: async <Row>(sql: string, parameters: unknown[] = []) => {
      let rows: Row[] = [];
      await withPostgres(databaseUrl, async (client) => {
        await client.query(`SET search_path TO ${schema}`);
        rows = (await client.query(sql, parameters)).rows as Row[];
      });
      return rows;
    },
    stop,
  };
}

/**
 * Starts the instances for the enclosing `describe` and stops them after its last test, passed or
 * failed. The returned object is filled in by `beforeAll`, so use it inside tests only.
 */
export function useSampleAppInstances(count: number, options: InstancesOptions = {}): SampleAppInstances {
  const handle = {} as SampleAppInstances;
  beforeAll(async () => {
    Object.assign(handle, await startSampleAppInstances(count, options));
  }, INSTANCES_HOOK_TIMEOUT_MS);
  afterAll(() => handle.stop?.(), INSTANCES_HOOK_TIMEOUT_MS);
  return handle;
}

/** The port the process announces; rejects with its output if it exits or stays silent past the bound. */
function listeningPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`a sample-app instance ${why}; its output:\n${output}`));
    };
    const timer = setTimeout(() => fail(`did not listen within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const port = output
        .split('\n')
        .map(announcedPort)
        .find((announced) => announced !== undefined);
      if (port === undefined) return;
      clearTimeout(timer);
      resolve(port);
    });
    child.once('exit', (code, signal) => fail(`exited before listening (code ${code}, signal ${signal})`));
  });
}

/** SIGTERM (a graceful Nest shutdown), SIGKILL if it has not exited within the bound. */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
  running.delete(child);
}

import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { tempDir } from './client-kit';
import { usesPostgres, withPostgres } from './test-app';

const ROOT = join(__dirname, '..', '..', '..');
/** A bound on the wait for the app to start (compiling with swc, migrations, seeding), not a sleep. */
const START_TIMEOUT_MS = 30_000;

/** Where the app's rows live: the same place across restarts. */
export interface ProcessDatabase {
  url: string;
  /** PostgreSQL: the schema (it must exist). */
  schema?: string;
}

/** A database of its own for app processes, readable by the test as an operator's SQL client would. */
export interface OwnDatabase extends ProcessDatabase {
  /** Runs SQL on the app's tables (PostgreSQL: in its schema). */
  query<Row = Record<string, unknown>>(sql: string): Promise<Row[]>;
  remove(): Promise<void>;
}

/**
 * A PostgreSQL schema of its own when DATABASE_URL names PostgreSQL, else an SQLite file in a
 * temporary folder: the same place across restarts of the processes that use it.
 */
export async function ownDatabase(name: string): Promise<OwnDatabase> {
  if (usesPostgres()) {
    const url = process.env.DATABASE_URL as string;
    const schema = `t_${process.pid}_${process.env.JEST_WORKER_ID ?? '0'}_${name}`;
    await withPostgres(url, (client) => client.query(`CREATE SCHEMA ${schema}`));
    return {
      url,
      schema,
      query: (sql) => queryOnce({ type: 'postgres', url, extra: { options: `-c search_path=${schema}` } }, sql),
      remove: () => withPostgres(url, (client) => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)),
    };
  }
  const temp = await tempDir();
  const file = join(temp.dir, `${name}.sqlite`);
  return { url: `sqlite:${file}`, query: (sql) => queryOnce({ type: 'better-sqlite3', database: file }, sql), remove: temp.remove };
}

async function queryOnce<Row>(options: ConstructorParameters<typeof DataSource>[0], sql: string): Promise<Row[]> {
  const connection = await new DataSource(options).initialize();
  try {
    return (await connection.query(sql)) as Row[];
  } finally {
    await connection.destroy();
  }
}

/**
 * The sample app as `npm start` runs it (`sample-app/main.ts`), in a child process of its own,
 * so a test can kill it with SIGKILL and start it again, on the same database and port.
 */
export class SampleAppProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts the app and resolves once it listens; `port` defaults to a free one. */
  static async start(database: ProcessDatabase, port?: number): Promise<SampleAppProcess> {
    const listenOn = port ?? (await freePort());
    const child = spawn(process.execPath, ['--require', join(__dirname, 'swc-register.js'), join(ROOT, 'sample-app', 'main.ts')], {
      cwd: ROOT,
      // A Redis key prefix of its own, so a child never shares counters or invalidations with another run.
      env: {
        ...process.env,
        PORT: String(listenOn),
        DATABASE_URL: database.url,
        DATABASE_SCHEMA: database.schema ?? '',
        REDIS_KEY_PREFIX: `test-${randomUUID()}:`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const listening = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the sample app did not start within ${START_TIMEOUT_MS} ms:\n${output}`)),
        START_TIMEOUT_MS,
      );
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        if (!output.includes('Sample app listening')) return;
        clearTimeout(timer);
        resolve();
      };
      child.stdout?.on('data', read);
      child.stderr?.on('data', read);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the sample app exited (${signal ?? code}) while starting:\n${output}`));
      });
    });
    await listening;
    return new SampleAppProcess(child, listenOn);
  }

  /** `kill -9`: no shutdown hook, no last write, no closed connection. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGKILL');
    await exited;
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

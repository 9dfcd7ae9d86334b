import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import type { SampleAppConfig } from '../../../sample-app/config';
import { createSampleApp, httpPlatformFromEnv } from '../../../sample-app/create-app';
import { UsersService } from '../../../sample-app/users/users.service';
import { TestClock } from './test-clock';
import { present } from './present';

export const ISSUER = 'http://localhost:3000';

export const usesPostgres = (): boolean => /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '');

export interface TestApp {
  app: INestApplication;
  http: ReturnType<INestApplication['getHttpServer']>;
  clock: TestClock;
  userId(username: 'alice' | 'bob'): Promise<string>;
  close(): Promise<void>;
}

export interface BootOptions {
  /** Extra modules booted next to the sample app (e.g. a probe controller); none by default. */
  imports?: (Type | DynamicModule)[];
  /** DeviceAuthModule options on top of the sample app's (lifetimes, cleanup, events). */
  deviceAuth?: SampleAppConfig['deviceAuth'];
}

let schemaCounter = 0;

/**
 * Boots the sample app in-process on in-memory SQLite, or on PostgreSQL when DATABASE_URL says so.
 * Each PostgreSQL app gets a schema of its own, dropped on close, so runs never see each other's rows.
 */
export async function bootTestApp(options: BootOptions = {}): Promise<TestApp> {
  const clock = new TestClock();
  let dropSchema = async (): Promise<void> => {};
  let postgresSchema: string | undefined;
  const databaseUrl = usesPostgres() ? (process.env.DATABASE_URL as string) : 'sqlite::memory:';
  if (usesPostgres()) {
    postgresSchema = `t_${process.pid}_${process.env.JEST_WORKER_ID ?? '0'}_${++schemaCounter}`;
    await withPostgres(databaseUrl, (client) => client.query(`CREATE SCHEMA ${postgresSchema}`));
    dropSchema = () => withPostgres(databaseUrl, (client) => client.query(`DROP SCHEMA IF EXISTS ${postgresSchema} CASCADE`));
  }
  const config: SampleAppConfig = { databaseUrl, postgresSchema, issuer: ISSUER, clock, deviceAuth: options.deviceAuth };
  const app = await createSampleApp(config, { imports: options.imports, platform: httpPlatformFromEnv() });
  const users = app.get(UsersService);
  return {
    app,
    http: app.getHttpServer(),
    clock,
    userId: async (username) => present(await users.findByUsername(username), `the user ${username}`).id,
    close: async () => {
      await app.close();
      await dropSchema();
    },
  };
}

/**
 * Boots a fresh app for the enclosing `describe` and closes it after its last test. The returned
 * object is filled in by `beforeAll`, so use it inside tests only.
 */
export function useTestApp(options: BootOptions = {}): TestApp {
  const handle = {} as TestApp;
  beforeAll(async () => {
    Object.assign(handle, await bootTestApp(options));
  });
  afterAll(() => handle.close());
  return handle;
}

/**
 * From now on every request reaches the app through one listener on `::` (dual stack), which
 * reports an IPv4 client as `::ffff:127.0.0.1`; before, supertest's own per-request listeners on
 * 127.0.0.1 report it as `127.0.0.1`. Lets a test show both notations count as one client.
 */
export async function listenDualStack(testApp: TestApp): Promise<void> {
  const server = testApp.http as Server;
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '::', resolve));
  expect((server.address() as AddressInfo).address).toBe('::');
}

export async function withPostgres(url: string, work: (client: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

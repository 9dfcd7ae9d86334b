import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { createSampleApp } from '../../../sample-app/create-app';
import { UsersService } from '../../../sample-app/users/users.service';
import { TestClock } from './test-clock';

export const ISSUER = 'http://localhost:3000';

export const usesPostgres = (): boolean => /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '');

export interface TestApp {
  app: INestApplication;
  http: ReturnType<INestApplication['getHttpServer']>;
  clock: TestClock;
  userId(username: 'alice' | 'bob'): Promise<string>;
  close(): Promise<void>;
}

let schemaCounter = 0;

/**
 * Boots the sample app in-process on in-memory SQLite, or on PostgreSQL when DATABASE_URL says so.
 * Each PostgreSQL app gets a schema of its own, dropped on close, so runs never see each other's rows.
 */
export async function bootTestApp(): Promise<TestApp> {
  const clock = new TestClock();
  let dropSchema = async (): Promise<void> => {};
  let postgresSchema: string | undefined;
  const databaseUrl = usesPostgres() ? (process.env.DATABASE_URL as string) : 'sqlite::memory:';
  if (usesPostgres()) {
    postgresSchema = `t_${process.pid}_${process.env.JEST_WORKER_ID ?? '0'}_${++schemaCounter}`;
    await withPostgres(databaseUrl, (client) => client.query(`CREATE SCHEMA ${postgresSchema}`));
    dropSchema = () => withPostgres(databaseUrl, (client) => client.query(`DROP SCHEMA IF EXISTS ${postgresSchema} CASCADE`));
  }
  const app = await createSampleApp({ databaseUrl, postgresSchema, issuer: ISSUER, clock });
  const users = app.get(UsersService);
  return {
    app,
    http: app.getHttpServer(),
    clock,
    userId: async (username) => (await users.findByUsername(username))!.id,
    close: async () => {
      await app.close();
      await dropSchema();
    },
  };
}

async function withPostgres(url: string, work: (client: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

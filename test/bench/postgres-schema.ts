import { Client } from 'pg';

/**
 * Runs `work` with a PostgreSQL schema of this run's own, dropped afterwards, so what an earlier
 * (or interrupted) run left behind never weighs on this one.
 */
export async function withPostgresSchema<T>(url: string, work: (schema: string) => Promise<T>): Promise<T> {
  const schema = `bench_${process.pid}`;
  const admin = new Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
    return await work(schema);
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
}

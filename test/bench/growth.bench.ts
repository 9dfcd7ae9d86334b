import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createSampleApp } from '../../sample-app/create-app';
import { WITHOUT_FLOOD_LIMITS } from './our-server';
import { deviceCodes } from './device-flow.scenarios';
import { discoverEndpoints } from './endpoints';
import { runLoad } from './load';
import { createPersonalAccessToken, deviceFlowTokens } from './sign-in';

/**
 * Issue 10, target 4: the hot lookups stay flat as the tables grow. The same three loads (PAT-guarded
 * calls with the PAT cache off, so every call reads the table; pending polls; refreshes) run against
 * a SQLite file whose device-authorization, grant, refresh-token and PAT tables hold 1,000 rows each,
 * then 1,000,000 (seeded in bulk), and the p99s are compared: the target is ≤ 1.5×.
 */
const SIZES = (process.env.GROWTH_SIZES ?? '1000,1000000').split(',').map(Number);
const SECONDS = Number(process.env.GROWTH_SECONDS ?? 5);
const CONNECTIONS = 10;
const LIMIT = 1.5;

interface SqliteConnection {
  prepare(sql: string): { run(...values: unknown[]): unknown };
  transaction(work: () => void): () => void;
}

const digest = (): string => randomBytes(32).toString('hex');

/** `count` rows of filler in each table the hot paths read, in one transaction per table. */
function seed(database: SqliteConnection, count: number): void {
  const now = Date.now();
  const later = now + 86_400_000;
  const tables: [string, () => unknown[]][] = [
    [
      `INSERT INTO device_auth_device_authorizations (id, device_code_hash, user_code_hash, client_id, scope, status, poll_interval, created_at, expires_at) VALUES (?, ?, ?, 'team-cli', 'user:read', 'pending', 5, ${now}, ${later})`,
      () => [randomUUID(), digest(), digest()],
    ],
    [
      `INSERT INTO device_auth_grants (id, client_id, user_id, scope, created_at, expires_at) VALUES (?, 'team-cli', ?, 'user:read', ${now}, ${later})`,
      () => [randomUUID(), randomUUID()],
    ],
    [
      `INSERT INTO device_auth_refresh_tokens (id, token_hash, family_id, client_id, user_id, scope, created_at, expires_at) VALUES (?, ?, ?, 'team-cli', ?, 'user:read', ${now}, ${later})`,
      () => [randomUUID(), digest(), randomUUID(), randomUUID()],
    ],
    [
      `INSERT INTO device_auth_personal_access_tokens (id, token_hash, display_hint, user_id, name, scope, created_at, expires_at) VALUES (?, ?, 'bpat_…', ?, 'filler', 'user:read', ${now}, ${later})`,
      () => [randomUUID(), digest(), randomUUID()],
    ],
  ];
  for (const [sql, values] of tables) {
    const insert = database.prepare(sql);
    database.transaction(() => {
      for (let i = 0; i < count; i++) insert.run(...values());
    })();
  }
}

async function measureAt(size: number): Promise<Record<string, number>> {
  const directory = mkdtempSync(join(tmpdir(), 'nest-device-auth-growth-'));
  const app = await createSampleApp(
    {
      databaseUrl: `sqlite:${join(directory, 'growth.sqlite')}`,
      issuer: 'http://localhost:3000',
      deviceAuth: { personalAccessTokens: { cacheSeconds: 0 }, rateLimits: WITHOUT_FLOOD_LIMITS },
    },
    { logger: ['error'] },
  );
  try {
    seed((app.get(DataSource).driver as unknown as { databaseConnection: SqliteConnection }).databaseConnection, size);
    await app.listen(0, '127.0.0.1');
    const baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const endpoints = await discoverEndpoints(baseUrl, '/.well-known/oauth-authorization-server');
    const signIns = await Promise.all(Array.from({ length: CONNECTIONS }, () => deviceFlowTokens(baseUrl)));
    const pat = await createPersonalAccessToken(baseUrl, signIns[0].accessToken);
    const codes = await deviceCodes(endpoints, 'sample-cli', CONNECTIONS);
    const common = { connections: CONNECTIONS, seconds: SECONDS };
    const patCalls = await runLoad('PAT-guarded calls', {
      ...common,
      url: `${baseUrl}/api/v1/token`,
      method: 'GET',
      headers: { authorization: `Bearer ${pat}` },
      expect: { status: 200 },
    });
    const polls = await runLoad('pending polls', {
      ...common,
      url: endpoints.token,
      method: 'POST',
      form: { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: 'sample-cli' },
      feed: { field: 'device_code', values: codes, next: 'same' },
      expect: { status: 400, errors: ['authorization_pending', 'slow_down'] },
    });
    const refreshes = await runLoad('refreshes', {
      ...common,
      url: endpoints.token,
      method: 'POST',
      form: { grant_type: 'refresh_token', client_id: 'sample-cli' },
      feed: { field: 'refresh_token', values: signIns.map((tokens) => tokens.refreshToken), next: { fromAnswer: 'refresh_token' } },
      expect: { status: 200, field: 'refresh_token' },
    });
    return { 'PAT-guarded calls (PAT cache off)': patCalls.p99, 'pending polls': polls.p99, 'refreshes (each rotates)': refreshes.p99 };
  } finally {
    await app.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const bySize = [];
  for (const size of SIZES) bySize.push({ size, p99: await measureAt(size) });
  const [small, large] = bySize;
  const rows = Object.keys(small.p99).map((scenario) => ({
    scenario,
    small: small.p99[scenario],
    large: large.p99[scenario],
    ratio: large.p99[scenario] / Math.max(1, small.p99[scenario]),
  }));
  console.log(
    `\nSQLite file, Express, ${CONNECTIONS} connections, ${SECONDS} s each; p99 in ms with ${small.size} and ${large.size} rows per table:\n`,
  );
  console.log(`| scenario | p99 at ${small.size} rows | p99 at ${large.size} rows | ratio | target |`);
  console.log('|---|---:|---:|---:|---:|');
  for (const row of rows) console.log(`| ${row.scenario} | ${row.small} | ${row.large} | ${row.ratio.toFixed(2)} | ≤ ${LIMIT} |`);
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(
    join('bench-results', 'growth.json'),
    JSON.stringify({ date: new Date().toISOString(), node: process.version, rows }, null, 2) + '\n',
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DeviceAuthModuleOptions } from '../../lib';
import { createSampleApp, HttpPlatform } from '../../sample-app/create-app';
import { createPersonalAccessToken, deviceFlowTokens } from './sign-in';

/**
 * The cost of authentication on the hot path, as ratios taken in one run: one guarded route that
 * reads nothing itself (GET /api/v1/token returns the principal) with a JWT and with a PAT, with
 * the caches on and off, against an unauthenticated static route. Load comes from autocannon in
 * a second process, over loopback only.
 */
const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 10;
const run = promisify(execFile);
const PLATFORMS: HttpPlatform[] = ['express', 'fastify'];

interface Result {
  platform: HttpPlatform;
  scenario: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
}

async function load(platform: HttpPlatform, scenario: string, url: string, authorization?: string): Promise<Result> {
  const args = ['autocannon', '--json', '-c', String(CONNECTIONS), '-d', String(DURATION_SECONDS)];
  if (authorization) args.push('-H', `authorization=${authorization}`);
  const { stdout } = await run('npx', [...args, url], { maxBuffer: 16 * 1024 * 1024 });
  const report = JSON.parse(stdout);
  if (report.non2xx > 0 || report.errors > 0) throw new Error(`${scenario}: ${report.non2xx} non-2xx, ${report.errors} errors`);
  return { platform, scenario, requestsPerSecond: report.requests.average, p50: report.latency.p50, p99: report.latency.p99 };
}

async function serve(platform: HttpPlatform, databaseFile: string, deviceAuth: Partial<DeviceAuthModuleOptions>) {
  const app = await createSampleApp(
    { databaseUrl: `sqlite:${databaseFile}`, issuer: 'http://localhost:3000', deviceAuth },
    { logger: ['error'], platform },
  );
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, baseUrl: `http://127.0.0.1:${port}` };
}

/** The scenarios on one platform; the first is that platform's baseline. */
async function measure(platform: HttpPlatform, database: string): Promise<Result[]> {
  const results: Result[] = [];
  const cached = await serve(platform, database, {});
  const { accessToken } = await deviceFlowTokens(cached.baseUrl);
  const pat = await createPersonalAccessToken(cached.baseUrl, accessToken);
  results.push(await load(platform, 'static metadata, no auth (baseline)', `${cached.baseUrl}/.well-known/oauth-authorization-server`));
  results.push(
    await load(platform, '/api/v1/token, JWT (revocation state cached 5 s)', `${cached.baseUrl}/api/v1/token`, `Bearer ${accessToken}`),
  );
  results.push(await load(platform, '/api/v1/token, PAT (verified cache)', `${cached.baseUrl}/api/v1/token`, `Bearer ${pat}`));
  await cached.app.close();

  const uncached = await serve(platform, database, {
    accessToken: { revocationCacheSeconds: 0 },
    personalAccessTokens: { cacheSeconds: 0 },
  });
  results.push(
    await load(
      platform,
      '/api/v1/token, JWT (revocation state read every call)',
      `${uncached.baseUrl}/api/v1/token`,
      `Bearer ${accessToken}`,
    ),
  );
  results.push(await load(platform, '/api/v1/token, PAT (database read every call)', `${uncached.baseUrl}/api/v1/token`, `Bearer ${pat}`));
  await uncached.app.close();
  return results;
}

async function main(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'nest-device-auth-bench-'));
  const results: Result[] = [];
  try {
    for (const platform of PLATFORMS) results.push(...(await measure(platform, join(directory, `bench-${platform}.sqlite`))));
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }

  console.log(`\n${CONNECTIONS} connections, ${DURATION_SECONDS} s each, SQLite file database, one run:\n`);
  console.log("| platform | scenario | req/s | p50 ms | p99 ms | throughput vs the platform's baseline |");
  console.log('|---|---|---:|---:|---:|---:|');
  for (const result of results) {
    const baseline = results.find((candidate) => candidate.platform === result.platform)?.requestsPerSecond ?? result.requestsPerSecond;
    console.log(
      `| ${result.platform} | ${result.scenario} | ${Math.round(result.requestsPerSecond)} | ${result.p50} | ${result.p99} | ${(result.requestsPerSecond / baseline).toFixed(2)} |`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

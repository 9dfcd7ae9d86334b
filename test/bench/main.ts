import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { HttpPlatform } from '../../sample-app/create-app';
import { deviceFlowScenarios } from './device-flow.scenarios';
import { guardScenarios } from './guard.scenarios';
import { OidcProviderServer, startOidcProvider } from './oidc-provider';
import { BenchDatabase, startOurServer } from './our-server';
import { withPostgresSchema } from './postgres-schema';
import { refreshScenarios } from './refresh.scenarios';
import { BenchRun, BenchSettings, loadAverage, machine, machineLine, markdownTable, Row, writeJson } from './report';
import type { Setup } from './setup';

/**
 * `npm run bench`: this library against node-oidc-provider and its guarded route against an
 * unguarded twin, as ratios taken within one run (issue 10, targets 1–3). `--quick` is a smoke
 * run of a few seconds that CI calls so the script cannot rot; its numbers mean nothing.
 */
const FULL: BenchSettings = { rounds: 3, seconds: 5, connections: 10 };
const QUICK: BenchSettings = { rounds: 1, seconds: 1, connections: 10 };
const RESULTS_DIRECTORY = resolve(__dirname, '../../../bench-results');
const PLATFORM_NAMES: Record<HttpPlatform, string> = { express: 'Express', fastify: 'Fastify' };
/** Printed under the table: what a reader needs to read it. */
const NOTES = [
  "A/B is the median of the rounds' ratios (each round ran A and B back to back). Targets are issue 10's, shown, never asserted.",
  "Answers: what each side actually said. This library answers slow_down to a code polled before its interval has passed (RFC 8628 §3.5); node-oidc-provider never does. 'each code polled once' polls every code the device-authorization rounds created, once each.",
  "node-oidc-provider's default storage is process memory holding the 1,000 to 2,000 most recent entries (its lib/helpers/lru.js): nothing survives a restart or is shared between instances, and older device codes are forgotten.",
];

function settingsFrom(args: string[]): BenchSettings {
  const unknown = args.filter((arg) => arg !== '--quick');
  if (unknown.length > 0) throw new Error(`Unknown argument ${unknown.join(' ')}: the bench takes only --quick`);
  return args.includes('--quick') ? QUICK : FULL;
}

async function runSetup(
  name: string,
  platform: HttpPlatform,
  database: BenchDatabase,
  theirs: OidcProviderServer,
  settings: BenchSettings,
): Promise<Row[]> {
  const ours = await startOurServer(platform, database);
  const setup: Setup = { name, ours, theirs, settings };
  try {
    const rows = [...(await deviceFlowScenarios(setup))];
    // The guard reads no database while its caches are warm: SQLite alone measures it.
    if (database.kind === 'sqlite') rows.push(...(await guardScenarios(setup)));
    rows.push(...(await refreshScenarios(setup)));
    return rows;
  } finally {
    await ours.close();
  }
}

async function main(): Promise<void> {
  const settings = settingsFrom(process.argv.slice(2));
  const date = new Date();
  const loadAtStart = loadAverage();
  const directory = mkdtempSync(join(tmpdir(), 'nest-device-auth-bench-'));
  const theirs = await startOidcProvider();
  const rows: Row[] = [];
  try {
    for (const platform of ['express', 'fastify'] as const) {
      const name = `${PLATFORM_NAMES[platform]}, SQLite file`;
      rows.push(...(await runSetup(name, platform, { kind: 'sqlite', file: join(directory, `${platform}.sqlite`) }, theirs, settings)));
    }
    // PostgreSQL when the environment offers it (as CI and the developers' machines do), on Express only to keep the run short.
    const url = process.env.DATABASE_URL;
    if (url !== undefined && /^postgres(ql)?:\/\//.test(url)) {
      const database = (schema: string): BenchDatabase => ({ kind: 'postgres', url, schema });
      rows.push(
        ...(await withPostgresSchema(url, (schema) => runSetup('Express, PostgreSQL', 'express', database(schema), theirs, settings))),
      );
    }
  } finally {
    theirs.stop();
    rmSync(directory, { recursive: true, force: true });
  }

  const run: BenchRun = {
    date,
    machine: machine(),
    loadAverage: { start: loadAtStart, end: loadAverage() },
    settings,
    rows,
  };
  console.log(`\n${machineLine(run)}`);
  console.log(
    `${settings.connections} connections, ${settings.seconds} s per measurement, ${settings.rounds} round(s) A, B, A, B… (medians); ` +
      'node-oidc-provider 9 with its default in-memory storage, in its own process; load from a second process.\n',
  );
  console.log(markdownTable(rows));
  console.log(`\n${NOTES.map((note) => `- ${note}`).join('\n')}`);
  console.log(`\nWritten to ${writeJson(RESULTS_DIRECTORY, run)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

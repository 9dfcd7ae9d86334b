import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import type { LoadResult } from './load-spec';

/** One side of a row: medians over the rounds, and every round as measured. */
export interface Side {
  label: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  /** Answers by kind, summed over the rounds: what the server actually said. */
  answers: Record<string, number>;
  rounds: Omit<LoadResult, 'collected' | 'answers'>[];
}

export interface Row {
  /** Platform and database of this library's server, e.g. `Express, SQLite file`. */
  setup: string;
  scenario: string;
  a: Side;
  b: Side;
  /** Median of the rounds' A/B throughput ratios (each round's pair ran back to back). */
  ratio: number;
  /** The issue's target for A/B, for the reader; never asserted. */
  target: string;
}

export interface BenchSettings {
  rounds: number;
  seconds: number;
  connections: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function side(label: string, results: LoadResult[]): Side {
  const answers: Record<string, number> = {};
  for (const result of results) {
    for (const [kind, count] of Object.entries(result.answers)) answers[kind] = (answers[kind] ?? 0) + count;
  }
  return {
    label,
    requestsPerSecond: median(results.map((result) => result.requestsPerSecond)),
    p50: median(results.map((result) => result.p50)),
    p99: median(results.map((result) => result.p99)),
    answers,
    rounds: results.map(({ collected: _collected, answers: _answers, ...round }) => round),
  };
}

export function row(setup: string, scenario: string, a: Side, b: Side, target: string): Row {
  const ratios = a.rounds.map((round, index) => round.requestsPerSecond / b.rounds[index].requestsPerSecond);
  return { setup, scenario, a, b, ratio: median(ratios), target };
}

/** `slow_down`, or `authorization_pending 96%, slow_down 4%` when a side gave several kinds of answer. */
function answersText(answers: Record<string, number>): string {
  const total = Object.values(answers).reduce((sum, count) => sum + count, 0);
  const kinds = Object.entries(answers).sort(([, x], [, y]) => y - x);
  if (kinds.length === 1) return kinds[0][0];
  const share = (count: number) => (count * 100 < total ? '<1' : String(Math.round((100 * count) / total)));
  return kinds.map(([kind, count]) => `${kind} ${share(count)}%`).join(', ');
}

export type Machine = ReturnType<typeof machine>;

export function machine() {
  const processors = cpus();
  return {
    cpu: processors[0]?.model ?? 'unknown',
    cpus: processors.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
  };
}

export function markdownTable(rows: Row[]): string {
  const whole = (value: number) => Math.round(value).toLocaleString('en-US');
  const lines = [
    '| setup | scenario | A | B | A req/s | B req/s | p50 ms A / B | p99 ms A / B | A/B | target | answers A; B |',
    '|---|---|---|---|---:|---:|---:|---:|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${[
          r.setup,
          r.scenario,
          r.a.label,
          r.b.label,
          whole(r.a.requestsPerSecond),
          whole(r.b.requestsPerSecond),
          `${r.a.p50} / ${r.b.p50}`,
          `${r.a.p99} / ${r.b.p99}`,
          `**${r.ratio.toFixed(2)}**`,
          r.target,
          `${answersText(r.a.answers)}; ${answersText(r.b.answers)}`,
        ].join(' | ')} |`,
    ),
  ];
  return lines.join('\n');
}

/** The one-minute load average: what else the machine was doing. Ratios hold up under load, absolute numbers do not. */
export const loadAverage = (): number => loadavg()[0];

export interface BenchRun {
  date: Date;
  machine: Machine;
  /** At the start and at the end of the run. */
  loadAverage: { start: number; end: number };
  settings: BenchSettings;
  rows: Row[];
}

/** `AMD EPYC × 2, 24 GiB, linux 6.1, Node v20.20.2; load average 0.12 → 2.10; 2026-01-01T00:00:00.000Z` */
export function machineLine({ machine: m, loadAverage: load, date }: BenchRun): string {
  const average = `load average ${load.start.toFixed(2)} → ${load.end.toFixed(2)}`;
  return `${m.cpu} × ${m.cpus}, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}; ${average}; ${date.toISOString()}`;
}

/** Writes the run as JSON into `directory` and answers the file's path. */
export function writeJson(directory: string, run: BenchRun): string {
  mkdirSync(directory, { recursive: true });
  const file = join(directory, `bench-${run.date.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(run, null, 2)}\n`);
  return file;
}

import autocannon from 'autocannon';
import type { Expectation, LoadResult, LoadSpec } from './load-spec';

/**
 * The load process: receives one LoadSpec over IPC, runs autocannon against it, checks every
 * answer, and sends back a LoadResult. Started by load.ts, once per measurement.
 */

type Json = Record<string, unknown> | undefined;

/** A first-in, first-out queue that does not copy the array on every take (feeds hold tens of thousands of codes). */
class Queue {
  private head = 0;
  constructor(private readonly values: string[]) {}
  take(): string | undefined {
    return this.head < this.values.length ? this.values[this.head++] : undefined;
  }
  put(value: string): void {
    this.values.push(value);
  }
}

function parse(body: string): Json {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function stringField(json: Json, name: string): string | undefined {
  const value = json?.[name];
  return typeof value === 'string' ? value : undefined;
}

function answerKind(expect: Expectation, status: number, json: Json): string {
  const error = stringField(json, 'error');
  if (expect.status === 200) {
    if (status === 200 && (expect.field === undefined || stringField(json, expect.field) !== undefined)) return '200';
  } else if (status === 400 && error !== undefined && expect.errors.includes(error)) {
    return error;
  }
  return `unexpected: ${status}${error === undefined ? '' : ` ${error}`}`;
}

function needsBodies(spec: LoadSpec): boolean {
  return spec.expect.status === 400 || spec.expect.field !== undefined || spec.collect !== undefined || typeof spec.feed?.next === 'object';
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  const answers: Record<string, number> = {};
  const collected: string[] = [];
  const count = (kind: string) => (answers[kind] = (answers[kind] ?? 0) + 1);
  const request: autocannon.Request = { method: spec.method };
  if (spec.form !== undefined || spec.feed !== undefined) {
    request.headers = { 'content-type': 'application/x-www-form-urlencoded' };
    request.body = new URLSearchParams(spec.form).toString();
  }

  const { feed } = spec;
  const queue = new Queue([...(feed?.values ?? [])]);
  // A feed that spends each value once runs through them and stops (autocannon splits `amount`
  // evenly over the connections, so take a multiple of it).
  const amount = feed !== undefined && feed.next === undefined ? feed.values.length - (feed.values.length % spec.connections) : undefined;
  if (amount === 0) throw new Error(`a feed of ${feed?.values.length} values cannot keep ${spec.connections} connections busy`);
  if (feed !== undefined) {
    // The context belongs to the connection's current request, so the answer finds the value it was sent with.
    request.setupRequest = (outgoing, context) => {
      const value = queue.take();
      if (value === undefined) throw new Error(`the feed of ${feed.field} ran dry: answers did not give values back`);
      (context as { value?: string }).value = value;
      return { ...outgoing, body: new URLSearchParams({ ...spec.form, [feed.field]: value }).toString() };
    };
  }
  if (needsBodies(spec)) {
    request.onResponse = (status, body, context) => {
      const json = parse(body);
      count(answerKind(spec.expect, status, json));
      const collect = spec.collect === undefined ? undefined : stringField(json, spec.collect);
      if (collect !== undefined) collected.push(collect);
      const sent = (context as { value?: string }).value;
      const next = feed?.next === 'same' ? sent : typeof feed?.next === 'object' ? stringField(json, feed.next.fromAnswer) : undefined;
      if (next !== undefined) queue.put(next);
    };
  }

  const cpuBefore = process.cpuUsage();
  const result = await autocannon({
    url: spec.url,
    headers: spec.headers,
    connections: spec.connections,
    duration: spec.seconds,
    amount,
    requests: [request],
  });
  const cpu = process.cpuUsage(cpuBefore);
  if (!needsBodies(spec)) {
    for (const [status, { count: seen = 0 }] of Object.entries(result.statusCodeStats ?? {})) {
      answers[status === '200' ? '200' : `unexpected: ${status}`] = seen;
    }
  }
  return {
    requestsPerSecond: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    answers,
    errors: result.errors,
    loaderCpu: (cpu.user + cpu.system) / 1e6 / result.duration,
    collected,
  };
}

function fail(error: unknown): void {
  process.send?.({ error: error instanceof Error ? error.message : String(error) }, () => process.exit(1));
}

// A throw inside an autocannon hook surfaces here, not in run()'s promise.
process.on('uncaughtException', fail);
process.once('message', (spec: LoadSpec) => {
  run(spec).then((result) => process.send?.({ result }, () => process.exit(0)), fail);
});

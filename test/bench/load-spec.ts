/**
 * What the bench asks of the load process and what it answers: plain data, because it crosses
 * a process boundary (the load comes from a second process, so it never shares a core's event
 * loop with the server it measures).
 */
export interface LoadSpec {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Form fields sent with every request (as application/x-www-form-urlencoded). */
  form?: Record<string, string>;
  /** A form field whose value changes from request to request. */
  feed?: Feed;
  connections: number;
  /** How long to load; ignored by a feed that spends each value once (the run ends with the values). */
  seconds: number;
  expect: Expectation;
  /** A JSON field of every answer to hand back (e.g. `device_code`, to poll those codes later). */
  collect?: string;
}

/**
 * Values for `field`, one per request, from a queue shared by the connections. `next` says what
 * goes back into the queue when an answer arrives: the same value (a client polling its own code),
 * a field of the answer (a rotated refresh token's successor), or nothing (each value used once).
 */
export interface Feed {
  field: string;
  values: string[];
  next?: 'same' | { fromAnswer: string };
}

/** Every answer must be a 200 (with `field` in its JSON, when named) or a 400 with one of `errors`. */
export type Expectation = { status: 200; field?: string } | { status: 400; errors: string[] };

export interface LoadResult {
  requestsPerSecond: number;
  /** Latency percentiles in milliseconds. */
  p50: number;
  p99: number;
  requests: number;
  /** Answers counted by kind: `200`, an OAuth error code, or `unexpected: …` with what came instead. */
  answers: Record<string, number>;
  /** Connection errors and timeouts. */
  errors: number;
  /** The load process's CPU time over the run's wall time: near 1 means the load generator, not the server, set the pace. */
  loaderCpu: number;
  collected: string[];
}

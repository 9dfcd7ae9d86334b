import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ISSUER, TestApp } from './test-app';

/** One request the kit made, as the server answered it. */
export interface KitRequest {
  method: string;
  /** Path on the server, e.g. `/o/token/`. */
  path: string;
  /** `grant_type` of a token-endpoint request. */
  grantType?: string;
  status: number;
  /** `error` of an OAuth error answer. */
  error?: string;
}

/**
 * Makes the in-process app listen on a real port (once) and returns its base URL. The kit uses
 * Node's fetch, so it needs a socket; supertest keeps working against the same server.
 */
export async function listenForKit(testApp: TestApp): Promise<string> {
  const server = testApp.http as Server;
  if (!server.listening) await testApp.app.listen(0, '127.0.0.1');
  const { address, port } = server.address() as AddressInfo;
  return `http://${address}:${port}`;
}

/**
 * The `fetch` the kit gets: the server calls itself ISSUER (http://localhost:3000), so requests to
 * that prefix go to the real listening address instead; every request and its outcome is recorded.
 * `beforeRequest` may hold a request back (e.g. to widen a race window).
 */
export function kitFetch(
  baseUrl: string,
  log: KitRequest[] = [],
  beforeRequest?: (request: { path: string; grantType?: string }) => Promise<void> | void,
): typeof fetch {
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!url.startsWith(ISSUER + '/')) throw new Error(`the kit called ${url}, outside the issuer`);
    const real = baseUrl + url.slice(ISSUER.length);
    const path = new URL(real).pathname;
    const grantType = typeof init?.body === 'string' ? (new URLSearchParams(init.body).get('grant_type') ?? undefined) : undefined;
    await beforeRequest?.({ path, grantType });
    const response = await fetch(real, init);
    let error: string | undefined;
    if (response.status >= 400 && (response.headers.get('content-type') ?? '').includes('json')) {
      error = ((await response.clone().json()) as { error?: string }).error;
    }
    log.push({ method: init?.method ?? 'GET', path, grantType, status: response.status, error });
    return response;
  };
}

/** Token-endpoint requests of one grant type, in order. */
export const tokenRequests = (
  log: KitRequest[],
  grantType: 'authorization_code' | 'refresh_token' | 'urn:ietf:params:oauth:grant-type:device_code',
): KitRequest[] => log.filter((entry) => entry.path === '/o/token/' && entry.grantType === grantType);

export interface ClockSleep {
  /** Pass as `sleep` to `deviceLogin` / `session.login`. */
  sleep: (milliseconds: number, signal?: AbortSignal) => Promise<void>;
  /** Every interval the kit asked to wait, in seconds. */
  requested: number[];
}

/**
 * A `sleep` that never waits: it records the requested interval and moves the server's clock
 * instead, by `advanceBy(seconds)` (the full interval by default; less to make the kit poll too
 * early). `afterSleep(n)` runs after the n-th sleep (1-based), e.g. to approve in the browser.
 */
export function clockSleep(
  testApp: TestApp,
  options: { advanceBy?: (requestedSeconds: number, call: number) => number; afterSleep?: (call: number) => Promise<void> | void } = {},
): ClockSleep {
  const requested: number[] = [];
  return {
    requested,
    sleep: async (milliseconds) => {
      const seconds = milliseconds / 1000;
      requested.push(seconds);
      testApp.clock.advance(options.advanceBy ? options.advanceBy(seconds, requested.length) : seconds);
      await options.afterSleep?.(requested.length);
    },
  };
}

/** A fresh temp directory per test, for the token store; `remove()` deletes it. */
export async function tempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'nest-device-auth-kit-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

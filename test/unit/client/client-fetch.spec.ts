import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeviceAuthClientError, ServerUnreachableError } from '../../../lib/client';
import { clientFetch, userAgentOf } from '../../../lib/client/client-fetch';
import { KIT_VERSION } from '../../../lib/client/version';

const packageVersion = (JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as { version: string }).version;
const RUNTIME = `node/${process.versions.node} ${process.platform}`;

/** A fetch that records what it was asked and answers 204, or fails as undici does. */
function recordingFetch(failure?: Error) {
  const calls: { url: string; headers: Headers }[] = [];
  const impl: typeof fetch = async (input, init) => {
    calls.push({ url: String(input), headers: new Headers(init?.headers) });
    if (failure) throw failure;
    return new Response(null, { status: 204 });
  };
  return { calls, impl };
}

/** undici's "fetch failed", with the system error as its cause. */
const fetchFailed = (code: string, message: string) =>
  new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });

describe('userAgentOf', () => {
  it('names the CLI, then the kit, the runtime and the platform', () => {
    expect(userAgentOf('acme-cli/1.4.0')).toBe(`acme-cli/1.4.0 nest-device-auth/${packageVersion} ${RUNTIME}`);
    expect(userAgentOf()).toBe(`nest-device-auth/${packageVersion} ${RUNTIME}`);
  });

  it('the kit’s version is the package’s', () => {
    expect(KIT_VERSION).toBe(packageVersion);
  });

  it('refuses what a header cannot carry, before any request', () => {
    for (const product of ['', 'acme cli\r\nX-Injected: 1', 'äcme/1.0', 'acme/1.0  two-spaces', 'a'.repeat(201)]) {
      expect(() => userAgentOf(product)).toThrow(DeviceAuthClientError);
    }
    expect(userAgentOf('acme-cli/1.4.0 (build 7)')).toMatch(/^acme-cli\/1\.4\.0 \(build 7\) nest-device-auth\//);
  });
});

describe('clientFetch', () => {
  it('sends the User-Agent with every request, and keeps one the caller set', async () => {
    const { calls, impl } = recordingFetch();
    const kit = clientFetch(impl, 'acme-cli/1.4.0');
    await kit('https://api.example.com/one', { headers: { accept: 'application/json' } });
    await kit('https://api.example.com/two', { headers: { 'User-Agent': 'my-own/2.0' } });
    expect(calls.map((call) => [call.url, call.headers.get('user-agent'), call.headers.get('accept')])).toEqual([
      ['https://api.example.com/one', `acme-cli/1.4.0 nest-device-auth/${packageVersion} ${RUNTIME}`, 'application/json'],
      ['https://api.example.com/two', 'my-own/2.0', null],
    ]);
  });

  it('a server that is down: ServerUnreachableError naming it and what to check', async () => {
    const cases = [
      [fetchFailed('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:3000'), 'Cannot reach http://localhost:3000: is the server running?'],
      [
        fetchFailed('ENOTFOUND', 'getaddrinfo ENOTFOUND localhost'),
        'Cannot reach http://localhost:3000: is the address right, and are you online?',
      ],
      [
        fetchFailed('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'),
        'Cannot reach http://localhost:3000: unable to verify the first certificate',
      ],
    ] as const;
    for (const [failure, message] of cases) {
      const error = await clientFetch(recordingFetch(failure).impl)('http://localhost:3000/.well-known/oauth-authorization-server').catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ServerUnreachableError);
      expect(error).toMatchObject({ message, origin: 'http://localhost:3000', cause: failure });
    }
  });

  it('really: a port nobody listens on', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const error = await clientFetch(fetch)(`http://127.0.0.1:${port}/x`).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServerUnreachableError);
    expect((error as Error).message).toBe(`Cannot reach http://127.0.0.1:${port}: is the server running?`);
  });

  it('an abort, or any other error, goes through as it is', async () => {
    const abort = new DOMException('This operation was aborted', 'AbortError');
    await expect(clientFetch(recordingFetch(abort).impl)('http://localhost:3000/')).rejects.toBe(abort);
    const bare = new TypeError('Failed to parse URL');
    await expect(clientFetch(recordingFetch(bare).impl)('http://localhost:3000/')).rejects.toBe(bare);
  });
});

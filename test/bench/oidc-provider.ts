import { fork } from 'node:child_process';
import { resolve } from 'node:path';
import { discoverEndpoints, FlowEndpoints } from './endpoints';

/** The ESM script stays a source file (tsc emits CommonJS here); it is found from build/test/bench/. */
const SCRIPT = resolve(__dirname, '../../../test/bench/oidc-provider-server.mjs');

export const OIDC_PROVIDER_CLIENT_ID = 'bench-cli';

export interface OidcProviderServer {
  endpoints: FlowEndpoints;
  mintRefreshTokens(count: number): Promise<string[]>;
  stop(): void;
}

/** Starts node-oidc-provider in a process of its own; its notices are shown only if it fails to start. */
export async function startOidcProvider(): Promise<OidcProviderServer> {
  const child = fork(SCRIPT, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const port = await new Promise<number>((resolvePort, reject) => {
    child.once('message', (message: { port: number }) => resolvePort(message.port));
    child.once('exit', (code) => reject(new Error(`node-oidc-provider exited (${code}) before listening:\n${output}`)));
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    endpoints: await discoverEndpoints(baseUrl, '/.well-known/openid-configuration'),
    mintRefreshTokens: (count) =>
      new Promise((resolveTokens, reject) => {
        child.once('message', (message: { refreshTokens?: string[]; error?: string }) =>
          message.refreshTokens ? resolveTokens(message.refreshTokens) : reject(new Error(`node-oidc-provider: ${message.error}`)),
        );
        child.send({ mintRefreshTokens: count });
      }),
    stop: () => child.disconnect(),
  };
}

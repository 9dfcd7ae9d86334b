import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ts from 'typescript';
import { KitRequest, kitFetch, tempDir } from './support/client-kit';
import {
  ACCESS_TOKEN_TTL_MS,
  exists,
  REFRESH_MARGIN_MS,
  refreshRequests,
  revocationOf,
  useKitEnvironment,
} from './support/client-kit-session';
import { callMe, refresh } from './support/device-flow';
import { ISSUER } from './support/test-app';

describe('client kit (lib/client) against the in-process sample app', () => {
  const env = useKitEnvironment();
  const { testApp, session, loggedIn, stored } = env;

  describe('two processes refreshing at once', () => {
    /** Holds each refresh request back a little, so a second refresher would certainly overlap it. */
    const slowRefresh = ({ grantType }: { grantType?: string }) =>
      grantType === 'refresh_token' ? new Promise<void>((resolve) => setTimeout(resolve, 150)) : undefined;

    it('two sessions, each with its own TokenStore on the same file, refresh once between them and keep the session', async () => {
      // Two DeviceAuthSession + TokenStore pairs share nothing in memory: all they have in common is
      // the credentials file and its lock file, exactly as for two processes (done for real below).
      await loggedIn(session());
      const login = await stored();
      testApp.clock.advance((login.expiresAt - testApp.clock.now() - REFRESH_MARGIN_MS + 1000) / 1000);

      const log: KitRequest[] = [];
      const one = session(log, { fetch: kitFetch(env.baseUrl, log, slowRefresh) });
      const two = session(log, { fetch: kitFetch(env.baseUrl, log, slowRefresh) });
      const [first, second] = await Promise.all([one.getAccessToken(), two.fetch(`${ISSUER}/api/v1/me`)]);

      expect(refreshRequests(log).map((entry) => entry.status)).toEqual([200]);
      expect(second.status).toBe(200);
      const after = await stored();
      expect(after.accessToken).toBe(first);
      expect(after.refreshToken).not.toBe(login.refreshToken);
      expect(await exists(`${env.storePath}.lock`)).toBe(false);
      await callMe(testApp, first).expect(200);
      // The stored refresh token is the live one: an hour later (past the reuse grace window) a
      // third session refreshes with it, and the family was never revoked.
      const later: KitRequest[] = [];
      testApp.clock.advance(ACCESS_TOKEN_TTL_MS / 1000);
      await session(later).getAccessToken();
      expect(refreshRequests(later).map((entry) => entry.status)).toEqual([200]);
      expect((await stored()).refreshToken).not.toBe(after.refreshToken);
      expect(await revocationOf(testApp, login.refreshToken as string)).toBeNull();
    });

    describe('with two real child processes', () => {
      let kitDir: string;
      const removeKit: (() => Promise<void>)[] = [];

      // The children run the kit's own code, compiled from lib/client and the dependency-free
      // lib/protocol it imports (TypeScript's transpiler, no type-check), so they need neither a build nor Jest.
      beforeAll(async () => {
        const compiled = await tempDir();
        removeKit.push(compiled.remove);
        kitDir = join(compiled.dir, 'client');
        for (const folder of ['client', 'protocol']) {
          await mkdir(join(compiled.dir, folder));
          const source = join(__dirname, '..', '..', 'lib', folder);
          for (const file of (await readdir(source)).filter((name) => name.endsWith('.ts'))) {
            const output = ts.transpileModule(await readFile(join(source, file), 'utf8'), {
              compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
            });
            await writeFile(join(compiled.dir, folder, file.replace(/\.ts$/, '.js')), output.outputText);
          }
        }
        await writeFile(join(compiled.dir, 'refresher.js'), REFRESHER);
      });
      afterAll(() => Promise.all(removeKit.map((remove) => remove())));

      it('refresh once between them and keep the session', async () => {
        await loggedIn(session());
        const login = await stored();
        testApp.clock.advance((login.expiresAt - testApp.clock.now() - REFRESH_MARGIN_MS + 1000) / 1000);

        const children = [0, 1].map(() =>
          spawn(process.execPath, [join(kitDir, '..', 'refresher.js'), ISSUER, env.baseUrl, env.storePath, String(testApp.clock.now())], {
            stdio: ['pipe', 'pipe', 'inherit'],
          }),
        );
        const exited = children.map((child) => new Promise((resolve) => child.once('exit', resolve)));
        const outputs = children.map((child) => linesOf(child));
        // Both load the kit first; then both are told to go at the same moment.
        await Promise.all(outputs.map(async (lines) => expect(await lines.next()).toBe('ready')));
        for (const child of children) child.stdin.end('go\n');
        const results = (await Promise.all(outputs.map((lines) => lines.next()))).map(
          (line) => JSON.parse(line) as { token?: string; refreshes?: number; me?: number; error?: string },
        );
        expect(await Promise.all(exited)).toEqual([0, 0]);

        expect(results.map((result) => result.error)).toEqual([undefined, undefined]);
        expect(results.map((result) => result.me)).toEqual([200, 200]);
        // One of them refreshed; the other waited for the lock and took the new token from the file.
        expect(results.map((result) => result.refreshes).sort()).toEqual([0, 1]);
        const after = await stored();
        expect(results.map((result) => result.token)).toEqual([after.accessToken, after.accessToken]);
        expect(after.refreshToken).not.toBe(login.refreshToken);
        expect((await stat(env.storePath)).mode & 0o777).toBe(0o600);
        // The session lives on: the stored refresh token works, and no grant was revoked.
        await refresh(testApp, after.refreshToken as string).expect(200);
        expect(await revocationOf(testApp, login.refreshToken as string)).toBeNull();
      });
    });
  });
});

/**
 * One CLI process: loads the compiled kit, says "ready", and on "go" asks for an access token
 * (refreshing if due) and calls /api/v1/me, then prints what happened as one JSON line. Its clock is
 * frozen at the server's test time; each refresh request is held back 150 ms so the two overlap.
 */
const REFRESHER = `
const { DeviceAuthSession } = require('./client/session.js');
const { TokenStore } = require('./client/token-store.js');
const [issuer, baseUrl, path, now] = process.argv.slice(2);
let refreshes = 0;
const fetchImpl = async (url, init) => {
  if (String(init && init.body).includes('grant_type=refresh_token')) {
    refreshes++;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return fetch(baseUrl + String(url).slice(issuer.length), init);
};
const session = new DeviceAuthSession({ issuer, clientId: 'sample-cli', store: new TokenStore({ path }), fetch: fetchImpl, now: () => Number(now) });
process.stdout.write('ready\\n');
process.stdin.once('data', async () => {
  try {
    const token = await session.getAccessToken();
    const me = await session.fetch(issuer + '/api/v1/me');
    process.stdout.write(JSON.stringify({ token, refreshes, me: me.status }) + '\\n');
  } catch (error) {
    process.stdout.write(JSON.stringify({ error: String(error && error.stack) }) + '\\n');
  }
});
`;

/** Reads a child's stdout line by line. */
function linesOf(child: ReturnType<typeof spawn>) {
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let buffered = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    buffered += chunk;
    for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      const next = waiting.shift();
      if (next) next(line);
      else lines.push(line);
    }
  });
  return {
    next: (): Promise<string> =>
      lines.length > 0
        ? Promise.resolve(lines.shift() as string)
        : new Promise((resolve, reject) => {
            waiting.push(resolve);
            child.once('exit', (code) => reject(new Error(`the child exited (${code}) before printing a line`)));
          }),
  };
}

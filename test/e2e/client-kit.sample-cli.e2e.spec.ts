import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { DataSource } from 'typeorm';
import request from 'supertest';
import { StoredSession, TokenStore } from '../../lib/client';
import { runSampleCli, SampleCliContext, USAGE } from '../../sample-app/cli/sample-cli';
import { clockSleep, KitRequest, kitFetch, listenForKit, tempDir } from './support/client-kit';
import { consentAndReturnToCli } from './support/code-flow';
import { decideInBrowser, deviceLogin as tokensFor, refresh, signedInBrowser } from './support/device-flow';
import { TerminalRecording } from './support/terminal-screen';
import { ISSUER, useTestApp } from './support/test-app';

/** A terminal that is not a TTY (a CI log): it keeps everything the CLI writes. */
class Transcript extends Writable {
  text = '';
  readonly isTTY = false;
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

const CODE_IN_TRANSCRIPT = /enter the code: ([BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4})/;
/** stdin when it is not a terminal (CI): nothing is read from it. */
const noKeyboard = () => new PassThrough();

describe('sample CLI (runSampleCli) against the in-process sample app', () => {
  const testApp = useTestApp();
  let baseUrl: string;
  let temp: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    baseUrl = await listenForKit(testApp);
    temp = await tempDir();
  });
  afterAll(() => temp.remove());

  const exists = (path: string) =>
    stat(path).then(
      () => true,
      () => false,
    );

  /** Runs one command line as `npm run cli -- <commandLine>` would, against the test server. */
  async function cli(commandLine: string, context: Partial<SampleCliContext> & { store: TokenStore }) {
    const out = new Transcript();
    const log: KitRequest[] = [];
    const args = commandLine === '' ? [] : commandLine.split(' ');
    const code = await runSampleCli(args, { issuer: ISSUER, out, input: noKeyboard(), fetch: kitFetch(baseUrl, log), ...context });
    return { code, out: out.text, log };
  }

  /** `sleep` for `login`: after the first wait the user reads the code off the terminal and clicks `action`. */
  function userActs(transcript: () => string, action: 'approve' | 'deny') {
    return clockSleep(testApp, {
      afterSleep: async (call) => {
        if (call !== 1) return;
        const userCode = CODE_IN_TRANSCRIPT.exec(transcript())?.[1];
        if (userCode === undefined) throw new Error(`no code in the transcript:\n${transcript()}`);
        await decideInBrowser(await signedInBrowser(testApp, 'alice'), userCode, action);
      },
    }).sleep;
  }

  /** `login` with a transcript the simulated user can read while it runs. */
  async function login(store: TokenStore, action: 'approve' | 'deny' = 'approve', flags: string[] = []) {
    const out = new Transcript();
    const code = await runSampleCli(['login', ...flags], {
      issuer: ISSUER,
      store,
      out,
      input: noKeyboard(),
      fetch: kitFetch(baseUrl),
      sleep: userActs(() => out.text, action),
    });
    return { code, out: out.text };
  }

  /** `login --browser` in which alice, signed in, clicks `action` in the browser the CLI opens. */
  async function browserLogin(store: TokenStore, action: 'approve' | 'deny' = 'approve') {
    const out = new Transcript();
    // A browser step that fails ends the login at once; its own error is thrown below.
    const browserFailed = new AbortController();
    let browsing: Promise<Response> | undefined;
    const code = await runSampleCli(['login', '--browser'], {
      issuer: ISSUER,
      store,
      out,
      input: noKeyboard(),
      fetch: kitFetch(baseUrl),
      signal: browserFailed.signal,
      openBrowser: (url) => {
        browsing = consentAndReturnToCli(testApp, url, action);
        browsing.catch(() => browserFailed.abort());
      },
    });
    await browsing;
    return { code, out: out.text };
  }

  describe('a session from login to logout', () => {
    let store: TokenStore;
    let loggedIn: StoredSession;
    beforeAll(() => {
      store = new TokenStore({ path: join(temp.dir, 'lifecycle', 'credentials.json') });
    });

    it('login: prints the link and the code, waits for approval, stores the session and says as whom (exit 0)', async () => {
      const { code, out } = await login(store);
      expect(code).toBe(0);
      const userCode = CODE_IN_TRANSCRIPT.exec(out)?.[1] as string;
      expect(out).toContain(`Open ${ISSUER}/oauth/device?user_code=${userCode}\n`);
      expect(out).toContain(`or go to ${ISSUER}/oauth/device and enter the code: ${userCode}\n`);
      // Not a terminal: the expiry in local time and words, never an ISO timestamp.
      expect(out).toMatch(/The code expires at \d\d:\d\d \(in 15 minutes\)\. Waiting for approval\.\.\.\n/);
      expect(out).not.toMatch(/\d{4}-\d\d-\d\dT/);
      expect(out).toContain(`✔ Logged in as alice.\n  Access: user:read listings:read\n  Your credentials are in ${store.path}\n`);
      expect(out).not.toMatch(/\p{Cc}\[/u); // not a TTY: no escape codes
      loggedIn = (await store.read()) as StoredSession;
      expect(loggedIn).toMatchObject({ issuer: ISSUER, clientId: 'sample-cli', refreshToken: expect.stringMatching(/^brt_/) });
      // Only what its commands use.
      expect(loggedIn.scope?.split(' ').sort()).toEqual(['listings:read', 'user:read']);
      expect((await stat(store.path)).mode & 0o777).toBe(0o600);
    });

    it('whoami: prints alice (exit 0)', async () => {
      const { code, out } = await cli('whoami', { store });
      expect(code).toBe(0);
      expect(JSON.parse(out)).toMatchObject({ username: 'alice', clientId: 'sample-cli', tokenKind: 'jwt' });
    });

    it('listings: prints her listings (exit 0)', async () => {
      const { code: empty, out: none } = await cli('listings', { store });
      expect(empty).toBe(0);
      expect(JSON.parse(none)).toEqual([]);
      // Alice adds one elsewhere: the CLI itself only reads listings.
      const writer = await tokensFor(testApp, 'alice', 'sample-cli', 'listings:write');
      await request(testApp.http)
        .post('/api/v1/listings')
        .set('Authorization', `Bearer ${writer.access_token}`)
        .send({ title: 'Bicycle', priceCents: 12_000 })
        .expect(201);
      const { code, out } = await cli('listings', { store });
      expect(code).toBe(0);
      expect(JSON.parse(out)).toEqual([expect.objectContaining({ title: 'Bicycle', priceCents: 12_000 })]);
    });

    it('logout: revokes the session at the server and removes the file (exit 0)', async () => {
      const { code, out, log } = await cli('logout', { store });
      expect(code).toBe(0);
      expect(out).toBe('Logged out: the session was revoked at the server and removed here.\n');
      expect(log.filter((entry) => entry.path === '/o/revoke/').map((entry) => entry.status)).toEqual([200]);
      expect(await exists(store.path)).toBe(false);
      const refused = await refresh(testApp, loggedIn.refreshToken as string).expect(400);
      expect(refused.body.error).toBe('invalid_grant');
    });

    it('whoami after logout: exit 1 with the hint to log in', async () => {
      const { code, out, log } = await cli('whoami', { store });
      expect(code).toBe(1);
      expect(out).toBe('You are not logged in. Run: npm run cli -- login\n');
      expect(log).toEqual([]);
    });

    it('logout again: nothing to do, says so (exit 0) and asks the server nothing', async () => {
      const { code, out, log } = await cli('logout', { store });
      expect([code, out]).toEqual([0, 'Not logged in: nothing to do.\n']);
      expect(log).toEqual([]);
    });
  });

  it('login --scope asks for more than the commands use; the sample names itself in the User-Agent', async () => {
    const store = new TokenStore({ path: join(temp.dir, 'more-scopes', 'credentials.json') });
    const authorizations = (): Promise<{ id: string; request_user_agent: string }[]> =>
      testApp.app.get(DataSource).query('SELECT id, request_user_agent FROM device_auth_device_authorizations');
    const before = new Set((await authorizations()).map((row) => row.id));
    const { code, out } = await login(store, 'approve', ['--scope', 'listings:write', '--scope=tokens:manage']);
    expect(code).toBe(0);
    expect(out).toContain('✔ Logged in as alice.\n  Access: ');
    expect((await store.read())?.scope?.split(' ').sort()).toEqual(['listings:read', 'listings:write', 'tokens:manage', 'user:read']);
    const added = (await authorizations()).filter((row) => !before.has(row.id));
    expect(added).toEqual([
      { id: expect.any(String), request_user_agent: expect.stringMatching(/^sample-cli\/1\.0\.0 nest-device-auth\/\S+ node\/\S+ \w+$/) },
    ]);
  });

  it('login in an 80x24 terminal: the user reads the code off the screen, and the screen ends with who signed in', async () => {
    const store = new TokenStore({ path: join(temp.dir, 'terminal', 'credentials.json') });
    const terminal = new TerminalRecording(80, 24);
    terminal.output =
      '$ npm run cli -- login\n\n> nest-device-auth@0.1.0 cli\n> tsc -b sample-app/tsconfig.json && node build/sample-app/cli/main.js login\n\n';
    const keyboard = Object.assign(new PassThrough(), { isTTY: true, setRawMode: jest.fn() });
    const opened: string[] = [];
    let onScreen: string[] = [];
    const code = await runSampleCli(['login'], {
      issuer: ISSUER,
      store,
      out: terminal,
      input: keyboard,
      openBrowser: (url) => void opened.push(url),
      fetch: kitFetch(baseUrl),
      sleep: clockSleep(testApp, {
        afterSleep: async (call) => {
          if (call !== 1) return;
          onScreen = (await terminal.screen()).lines;
          keyboard.write('\r'); // Enter opens the link on screen
          const userCode = /Your code: {2}(\S+)/.exec(onScreen.join('\n'))?.[1] as string;
          await decideInBrowser(await signedInBrowser(testApp, 'alice'), userCode, 'approve');
        },
      }).sleep,
    });
    expect(code).toBe(0);
    const userCode = /Your code: {2}(\S+)/.exec(onScreen.join('\n'))?.[1] as string;
    expect(userCode).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(onScreen).toContain(`  Open:       ${ISSUER}/oauth/device?user_code=${userCode}`);
    expect(onScreen).toContain('  Press Enter to open the browser.');
    expect(onScreen.filter(Boolean).at(-1)).toMatch(/Waiting for approval… code expires in 1[45]:\d\d$/);
    expect(opened).toEqual([`${ISSUER}/oauth/device?user_code=${userCode}`]);
    const end = (await terminal.screen()).lines;
    expect(end).toContain(`  Open:       ${ISSUER}/oauth/device?user_code=${userCode}`);
    expect(end).toContain('  ✔ Logged in as alice.');
    expect(keyboard.setRawMode).toHaveBeenLastCalledWith(false);
  });

  it.each([
    ['login', login],
    ['login --browser', browserLogin],
  ])('%s denied in the browser: exit 1, says so, stores nothing', async (commandLine, run) => {
    const store = new TokenStore({ path: join(temp.dir, `denied ${commandLine}`, 'credentials.json') });
    const { code, out } = await run(store, 'deny');
    expect(code).toBe(1);
    expect(out).toContain('✘ The request was denied in the browser');
    expect(await exists(store.path)).toBe(false);
  });

  it('login --browser: prints the link to open by hand, and stores the session as login does (exit 0); whoami uses it', async () => {
    const store = new TokenStore({ path: join(temp.dir, 'browser', 'credentials.json') });
    const { code, out } = await browserLogin(store, 'approve');
    expect(code).toBe(0);
    expect(out).toContain(`If it does not open, visit:\n  ${ISSUER}/o/authorize/?response_type=code&client_id=sample-cli&`);
    expect(new URL(/visit:\n {2}(\S+)/.exec(out)?.[1] as string).searchParams.get('scope')).toBe('user:read listings:read');
    expect(out).toMatch(/Waiting for approval in the browser until \d\d:\d\d \(in 5 minutes\)\.\.\.\n/);
    expect(out).toContain(`✔ Logged in as alice.\n  Access: user:read listings:read\n  Your credentials are in ${store.path}\n`);
    expect(await store.read()).toMatchObject({ issuer: ISSUER, clientId: 'sample-cli', refreshToken: expect.stringMatching(/^brt_/) });
    expect((await stat(store.path)).mode & 0o777).toBe(0o600);
    const whoami = await cli('whoami', { store });
    expect(whoami.code).toBe(0);
    expect(JSON.parse(whoami.out)).toMatchObject({ username: 'alice', clientId: 'sample-cli', tokenKind: 'jwt' });
  });

  it('a SAMPLE_TOKEN-style PAT from the environment works without any stored session', async () => {
    const store = new TokenStore({ path: join(temp.dir, 'pat-source', 'credentials.json') });
    expect((await login(store, 'approve', ['--scope', 'tokens:manage'])).code).toBe(0);
    const { accessToken } = (await store.read()) as StoredSession;
    const created = await request(testApp.http)
      .post('/o/personal-access-tokens')
      .set('Authorization', `Bearer ${accessToken}`)
      .send({ name: 'ci', scopes: ['user:read', 'listings:read'], expiresInDays: 7 })
      .expect(201);
    const pat = created.body.token as string;
    expect(pat).toMatch(/^bpat_/);

    const unused = new TokenStore({ path: join(temp.dir, 'ci-machine', 'credentials.json') });
    const whoami = await cli('whoami', { store: unused, environmentToken: pat });
    expect(whoami.code).toBe(0);
    expect(JSON.parse(whoami.out)).toMatchObject({ username: 'alice', tokenKind: 'pat', scopes: ['user:read', 'listings:read'] });
    expect((await cli('listings', { store: unused, environmentToken: pat })).code).toBe(0);
    expect(await exists(join(temp.dir, 'ci-machine'))).toBe(false);

    const refused = await cli('whoami', { store: unused, environmentToken: 'bpat_revoked-or-mistyped' });
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/^Error: The API answered 401/);
  });

  it('help, -h and --help print the usage (exit 0), and nothing is asked of the server', async () => {
    const store = new TokenStore({ path: join(temp.dir, 'help', 'credentials.json') });
    for (const commandLine of ['help', '-h', '--help', 'login --help', 'whoami -h']) {
      const { code, out, log } = await cli(commandLine, { store });
      expect([commandLine, code, out]).toEqual([commandLine, 0, USAGE]);
      expect(log).toEqual([]);
    }
    expect(USAGE).toContain('--scope SCOPE');
    expect(USAGE).toContain('login --browser');
  });

  it('no command, or an unknown one, says what is wrong and prints the usage (exit 2)', async () => {
    const store = new TokenStore({ path: join(temp.dir, 'x', 'credentials.json') });
    expect(await cli('deploy', { store })).toMatchObject({ code: 2, out: `Unknown command: deploy\n\n${USAGE}` });
    expect(await cli('', { store })).toMatchObject({ code: 2, out: `No command given.\n\n${USAGE}` });
  });

  it('a flag the command does not take prints the usage and does nothing (exit 2)', async () => {
    const store = new TokenStore({ path: join(temp.dir, 'flags', 'credentials.json') });
    for (const [commandLine, mistake] of [
      ['login --bogus', 'Unknown option: --bogus'],
      ['login --scope', '--scope needs a scope, e.g. --scope listings:write'],
      ['whoami --browser', 'whoami takes no options: --browser'],
      ['logout --browser', 'logout takes no options: --browser'],
    ]) {
      const { code, out, log } = await cli(commandLine, { store });
      expect([code, out]).toEqual([2, `${mistake}\n\n${USAGE}`]);
      expect(log).toEqual([]);
    }
  });

  describe('a server that is down', () => {
    let downIssuer: string;
    beforeAll(async () => {
      // A port that was just free: nothing listens there.
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      downIssuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await new Promise((resolve) => server.close(resolve));
    });

    it.each([['login'], ['login --browser']])('%s: names the URL and asks whether the server runs (exit 1)', async (commandLine) => {
      const store = new TokenStore({ path: join(temp.dir, `down ${commandLine}`, 'credentials.json') });
      const { code, out } = await cli(commandLine, { store, issuer: downIssuer, fetch: undefined, openBrowser: jest.fn() });
      expect(code).toBe(1);
      expect(out).toBe(`✘ Cannot reach ${downIssuer}: is the server running?\n`);
    });

    it('whoami with a stored session, and logout: the same message; logout still removes the session here', async () => {
      const store = new TokenStore({ path: join(temp.dir, 'down session', 'credentials.json') });
      const session = {
        issuer: downIssuer,
        clientId: 'sample-cli',
        accessToken: 'eyJ.x',
        refreshToken: 'brt_x',
        expiresAt: Date.now() + 3_600_000,
      };
      await store.write(session);
      const whoami = await cli('whoami', { store, issuer: downIssuer, fetch: undefined });
      expect([whoami.code, whoami.out]).toEqual([1, `Error: Cannot reach ${downIssuer}: is the server running?\n`]);
      const logout = await cli('logout', { store, issuer: downIssuer, fetch: undefined });
      expect([logout.code, logout.out]).toEqual([
        1,
        `Error: Cannot reach ${downIssuer}: is the server running?\nThe session was removed here, but the server could not be asked to end it.\n`,
      ]);
      expect(await exists(store.path)).toBe(false);
    });
  });
});

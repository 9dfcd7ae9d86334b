import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import request from 'supertest';
import { StoredSession, TokenStore } from '../../lib/client';
import { runSampleCli, SampleCliContext } from '../../sample-app/cli/sample-cli';
import { clockSleep, KitRequest, kitFetch, listenForKit, tempDir } from './support/client-kit';
import { consentAndReturnToCli } from './support/code-flow';
import { decideInBrowser, refresh, signedInBrowser } from './support/device-flow';
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
    const code = await runSampleCli(commandLine.split(' '), { issuer: ISSUER, out, fetch: kitFetch(baseUrl, log), ...context });
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
  async function login(store: TokenStore, action: 'approve' | 'deny' = 'approve') {
    const out = new Transcript();
    const code = await runSampleCli(['login'], {
      issuer: ISSUER,
      store,
      out,
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

    it('login: prints the code and the page, waits for approval, stores the session (exit 0)', async () => {
      const { code, out } = await login(store);
      expect(code).toBe(0);
      const userCode = CODE_IN_TRANSCRIPT.exec(out)?.[1] as string;
      expect(out).toContain(`Open ${ISSUER}/oauth/device and enter the code: ${userCode}`);
      expect(out).toContain(`Or open: ${ISSUER}/oauth/device?user_code=${userCode}`);
      expect(out).toContain(`✔ Logged in. Your credentials are in ${store.path}`);
      expect(out).not.toMatch(/\p{Cc}\[/u); // not a TTY: no escape codes
      loggedIn = (await store.read()) as StoredSession;
      expect(loggedIn).toMatchObject({ issuer: ISSUER, clientId: 'sample-cli', refreshToken: expect.stringMatching(/^brt_/) });
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
      await request(testApp.http)
        .post('/api/v1/listings')
        .set('Authorization', `Bearer ${loggedIn.accessToken}`)
        .send({ title: 'Bicycle', priceCents: 12_000 })
        .expect(201);
      const { code, out } = await cli('listings', { store });
      expect(code).toBe(0);
      expect(JSON.parse(out)).toEqual([expect.objectContaining({ title: 'Bicycle', priceCents: 12_000 })]);
    });

    it('logout: revokes the session at the server and removes the file (exit 0)', async () => {
      const { code, out, log } = await cli('logout', { store });
      expect(code).toBe(0);
      expect(out).toContain('Logged out');
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
    expect(out).toContain(`✔ Logged in. Your credentials are in ${store.path}`);
    expect(await store.read()).toMatchObject({ issuer: ISSUER, clientId: 'sample-cli', refreshToken: expect.stringMatching(/^brt_/) });
    expect((await stat(store.path)).mode & 0o777).toBe(0o600);
    const whoami = await cli('whoami', { store });
    expect(whoami.code).toBe(0);
    expect(JSON.parse(whoami.out)).toMatchObject({ username: 'alice', clientId: 'sample-cli', tokenKind: 'jwt' });
  });

  it('a SAMPLE_TOKEN-style PAT from the environment works without any stored session', async () => {
    const store = new TokenStore({ path: join(temp.dir, 'pat-source', 'credentials.json') });
    expect((await login(store)).code).toBe(0);
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

  it('an unknown command prints the usage (exit 2)', async () => {
    const { code, out } = await cli('deploy', { store: new TokenStore({ path: join(temp.dir, 'x', 'credentials.json') }) });
    expect(code).toBe(2);
    expect(out).toBe('usage: sample-cli login [--browser] | whoami | listings | logout\n');
  });

  it('a flag the command does not take prints the usage and does nothing (exit 2)', async () => {
    const store = new TokenStore({ path: join(temp.dir, 'flags', 'credentials.json') });
    for (const commandLine of ['login --qr', 'whoami --browser', 'logout --browser']) {
      const { code, out, log } = await cli(commandLine, { store });
      expect([code, out]).toEqual([2, 'usage: sample-cli login [--browser] | whoami | listings | logout\n']);
      expect(log).toEqual([]);
    }
  });
});

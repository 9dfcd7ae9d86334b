import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import ts from 'typescript';
import {
  AccessDeniedError,
  DeviceAuthSession,
  DeviceCodeExpiredError,
  deviceLogin,
  DevicePrompt,
  LoginCancelledError,
  LoginRequiredError,
  StoredSession,
  TokenStore,
} from '../../lib/client';
import { sha256Hex } from '../../lib/tokens/hashing';
import { clockSleep, KitRequest, kitFetch, listenForKit, tempDir, tokenRequests } from './support/client-kit';
import { callMe, DEVICE_GRANT, decideInBrowser, refresh, signedInBrowser } from './support/device-flow';
import { ISSUER, TestApp, useTestApp } from './support/test-app';
import { pathOf } from './support/verification-page';

const CLIENT_ID = 'sample-cli';
const DEVICE_CODE_TTL_MS = 900_000;
const ACCESS_TOKEN_TTL_MS = 3_600_000;
/** DeviceAuthSession's default: refresh when the access token has less than this left. */
const REFRESH_MARGIN_MS = 60_000;

const deviceCodePolls = (log: KitRequest[]) => tokenRequests(log, DEVICE_GRANT);
const refreshRequests = (log: KitRequest[]) => tokenRequests(log, 'refresh_token');

/** Opens the page the prompt points at, as the user would, and clicks Approve or Deny. */
async function decideAsAlice(testApp: TestApp, prompt: DevicePrompt, action: 'approve' | 'deny'): Promise<void> {
  const browser = await signedInBrowser(testApp, 'alice');
  const page = await browser.get(pathOf(prompt.verificationUriComplete as string)).expect(200);
  expect(page.text).toContain(prompt.userCode);
  await decideInBrowser(browser, prompt.userCode, action);
}

/** How the grant (refresh-token family) of a refresh token ended: null while it is not revoked. */
async function revocationOf(testApp: TestApp, refreshToken: string): Promise<string | null> {
  const rows: { revocation_reason: string | null }[] = await testApp.app.get(DataSource).query(
    `SELECT g.revocation_reason FROM device_auth_grants g JOIN device_auth_refresh_tokens r ON r.family_id = g.id
     WHERE r.token_hash = '${sha256Hex(refreshToken)}'`,
  );
  expect(rows).toHaveLength(1);
  return rows[0].revocation_reason;
}

describe('client kit (lib/client) against the in-process sample app', () => {
  const testApp = useTestApp();
  let baseUrl: string;
  let temp: Awaited<ReturnType<typeof tempDir>>;
  /** Under a folder that does not exist yet, so the store creates it (and its mode can be checked). */
  let storePath: string;

  beforeAll(async () => {
    baseUrl = await listenForKit(testApp);
  });
  beforeEach(async () => {
    temp = await tempDir();
    storePath = join(temp.dir, 'config', 'sample-cli', 'credentials.json');
  });
  afterEach(() => temp.remove());

  const session = (log: KitRequest[] = [], options: Partial<ConstructorParameters<typeof DeviceAuthSession>[0]> = {}) =>
    new DeviceAuthSession({
      issuer: ISSUER,
      clientId: CLIENT_ID,
      store: new TokenStore({ path: storePath }),
      fetch: kitFetch(baseUrl, log),
      now: () => testApp.clock.now(),
      ...options,
    });

  /** A full login approved in the browser as soon as the prompt shows. */
  async function loggedIn(kit: DeviceAuthSession): Promise<StoredSession> {
    return kit.login({ onPrompt: (prompt) => decideAsAlice(testApp, prompt, 'approve'), sleep: clockSleep(testApp).sleep });
  }

  const stored = async (): Promise<StoredSession> => JSON.parse(await readFile(storePath, 'utf8')) as StoredSession;
  const exists = (path: string) =>
    stat(path).then(
      () => true,
      () => false,
    );

  describe('deviceLogin', () => {
    it('discovers the endpoints, prompts, polls at the interval and gets tokens once the user approves on the page', async () => {
      const log: KitRequest[] = [];
      const prompts: DevicePrompt[] = [];
      const startedAt = testApp.clock.now();
      const clock = clockSleep(testApp, {
        // The user is slow: two polls see authorization_pending, then they approve.
        afterSleep: (call) => (call === 3 ? decideAsAlice(testApp, prompts[0], 'approve') : undefined),
      });
      const result = await deviceLogin({
        issuer: ISSUER,
        clientId: CLIENT_ID,
        onPrompt: (prompt) => void prompts.push(prompt),
        sleep: clock.sleep,
        fetch: kitFetch(baseUrl, log),
        now: () => testApp.clock.now(),
      });

      expect(log.slice(0, 2)).toEqual([
        { method: 'GET', path: '/.well-known/oauth-authorization-server', status: 200 },
        { method: 'POST', path: '/o/device-authorization/', status: 200 },
      ]);
      expect(prompts).toHaveLength(1);
      const [prompt] = prompts;
      expect(prompt.userCode).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
      expect(prompt.verificationUri).toBe(`${ISSUER}/oauth/device`);
      expect(prompt.verificationUriComplete).toBe(`${ISSUER}/oauth/device?user_code=${encodeURIComponent(prompt.userCode)}`);
      expect(prompt.expiresAt.getTime()).toBe(startedAt + DEVICE_CODE_TTL_MS);

      // Every wait is the server's interval (5 s), and the server never had to say slow_down.
      expect(clock.requested).toEqual([5, 5, 5]);
      expect(deviceCodePolls(log).map((poll) => [poll.status, poll.error])).toEqual([
        [400, 'authorization_pending'],
        [400, 'authorization_pending'],
        [200, undefined],
      ]);

      expect(result.metadata.token_endpoint).toBe(`${ISSUER}/o/token/`);
      expect(result.refreshToken).toMatch(/^brt_/);
      expect(result.expiresAt).toBe(testApp.clock.now() + ACCESS_TOKEN_TTL_MS);
      const me = await callMe(testApp, result.accessToken).expect(200);
      expect(me.body).toMatchObject({ username: 'alice', clientId: CLIENT_ID, tokenKind: 'jwt' });
    });

    it('adds 5 s to its interval on every slow_down', async () => {
      const log: KitRequest[] = [];
      let prompt: DevicePrompt | undefined;
      const clock = clockSleep(testApp, {
        // Sleeps 2 and 3 end a second early, so the server answers slow_down to the polls after them.
        advanceBy: (seconds, call) => (call === 2 || call === 3 ? seconds - 1 : seconds),
        afterSleep: (call) => (call === 5 ? decideAsAlice(testApp, prompt as DevicePrompt, 'approve') : undefined),
      });
      await deviceLogin({
        issuer: ISSUER,
        clientId: CLIENT_ID,
        onPrompt: (shown) => void (prompt = shown),
        sleep: clock.sleep,
        fetch: kitFetch(baseUrl, log),
        now: () => testApp.clock.now(),
      });

      const answers = deviceCodePolls(log).map((poll) => poll.error ?? 'tokens');
      expect(answers).toEqual(['authorization_pending', 'slow_down', 'slow_down', 'authorization_pending', 'tokens']);
      expect(clock.requested).toEqual([5, 5, 10, 15, 15]);
      // The same rule spelled out: the wait after a poll is 5 s longer exactly when that poll was told to slow down.
      for (let poll = 0; poll < answers.length - 1; poll++) {
        expect(clock.requested[poll + 1] - clock.requested[poll]).toBe(answers[poll] === 'slow_down' ? 5 : 0);
      }
    });

    it('throws AccessDeniedError when the user clicks Deny, and stops polling', async () => {
      const log: KitRequest[] = [];
      const clock = clockSleep(testApp);
      const login = deviceLogin({
        issuer: ISSUER,
        clientId: CLIENT_ID,
        onPrompt: (prompt) => decideAsAlice(testApp, prompt, 'deny'),
        sleep: clock.sleep,
        fetch: kitFetch(baseUrl, log),
        now: () => testApp.clock.now(),
      });
      await expect(login).rejects.toBeInstanceOf(AccessDeniedError);
      expect(deviceCodePolls(log).map((poll) => poll.error)).toEqual(['access_denied']);
      expect(clock.requested).toEqual([5]);
    });

    it('throws DeviceCodeExpiredError when nobody approves within the code’s lifetime, without polling past it', async () => {
      const log: KitRequest[] = [];
      const clock = clockSleep(testApp);
      const login = deviceLogin({
        issuer: ISSUER,
        clientId: CLIENT_ID,
        onPrompt: () => undefined,
        sleep: clock.sleep,
        fetch: kitFetch(baseUrl, log),
        now: () => testApp.clock.now(),
      });
      await expect(login).rejects.toBeInstanceOf(DeviceCodeExpiredError);
      // 900 s at 5 s: a poll after each of the first 179 waits; after the 180th the code is dead.
      expect(clock.requested).toHaveLength(DEVICE_CODE_TTL_MS / 5000);
      const polls = deviceCodePolls(log);
      expect(polls).toHaveLength(DEVICE_CODE_TTL_MS / 5000 - 1);
      expect(new Set(polls.map((poll) => poll.error))).toEqual(new Set(['authorization_pending']));
    });

    it('throws DeviceCodeExpiredError when the server answers expired_token', async () => {
      const log: KitRequest[] = [];
      // The second poll is slow to arrive: the code expires while it is on the way.
      let polls = 0;
      const fetchImpl = kitFetch(baseUrl, log, ({ grantType }) => {
        if (grantType === DEVICE_GRANT && ++polls === 2) testApp.clock.advance(DEVICE_CODE_TTL_MS / 1000);
      });
      const login = deviceLogin({
        issuer: ISSUER,
        clientId: CLIENT_ID,
        onPrompt: () => undefined,
        sleep: clockSleep(testApp).sleep,
        fetch: fetchImpl,
        now: () => testApp.clock.now(),
      });
      await expect(login).rejects.toBeInstanceOf(DeviceCodeExpiredError);
      expect(deviceCodePolls(log).map((poll) => poll.error)).toEqual(['authorization_pending', 'expired_token']);
    });

    it('polls again when the token answer is lost after the server made it, and ends with that same session', async () => {
      const log: KitRequest[] = [];
      const lost: string[] = [];
      const through = kitFetch(baseUrl, log);
      // The first 200 of the token endpoint never reaches the kit: the server committed, the connection dropped.
      const fetchImpl: typeof fetch = async (input, init) => {
        const response = await through(input, init);
        if (lost.length > 0 || !String(input).endsWith('/o/token/') || response.status !== 200) return response;
        lost.push(((await response.json()) as { refresh_token: string }).refresh_token);
        throw new TypeError('fetch failed');
      };
      const tokens = await deviceLogin({
        issuer: ISSUER,
        clientId: CLIENT_ID,
        onPrompt: (prompt) => decideAsAlice(testApp, prompt, 'approve'),
        sleep: clockSleep(testApp).sleep,
        fetch: fetchImpl,
        now: () => testApp.clock.now(),
      });
      expect(deviceCodePolls(log).map((poll) => poll.status)).toEqual([200, 200]);
      expect(tokens.refreshToken).toBe(lost[0]);
      await callMe(testApp, tokens.accessToken).expect(200);
      await refresh(testApp, tokens.refreshToken as string).expect(200);
    });

    it('stops with LoginCancelledError when cancelled between polls, and polls no more', async () => {
      const log: KitRequest[] = [];
      const controller = new AbortController();
      const clock = clockSleep(testApp, { afterSleep: (call) => (call === 2 ? controller.abort() : undefined) });
      const login = deviceLogin({
        issuer: ISSUER,
        clientId: CLIENT_ID,
        onPrompt: () => undefined,
        signal: controller.signal,
        sleep: clock.sleep,
        fetch: kitFetch(baseUrl, log),
        now: () => testApp.clock.now(),
      });
      await expect(login).rejects.toBeInstanceOf(LoginCancelledError);
      expect(deviceCodePolls(log)).toHaveLength(1);
    });

    it('stops with LoginCancelledError at once when cancelled during its own (real) wait', async () => {
      const log: KitRequest[] = [];
      const controller = new AbortController();
      const started = Date.now();
      const login = deviceLogin({
        issuer: ISSUER,
        clientId: CLIENT_ID,
        // No `sleep`: the kit's own timer, 5 s long, which the abort must cut short.
        onPrompt: () => void setTimeout(() => controller.abort(), 20),
        signal: controller.signal,
        fetch: kitFetch(baseUrl, log),
      });
      await expect(login).rejects.toBeInstanceOf(LoginCancelledError);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(deviceCodePolls(log)).toHaveLength(0);
    });

    it('stops with LoginCancelledError when cancelled while a request is on the way', async () => {
      const controller = new AbortController();
      const login = deviceLogin({
        issuer: ISSUER,
        clientId: CLIENT_ID,
        onPrompt: () => undefined,
        signal: controller.signal,
        sleep: clockSleep(testApp).sleep,
        fetch: kitFetch(baseUrl, [], ({ path }) => {
          if (path === '/o/device-authorization/') controller.abort();
        }),
      });
      await expect(login).rejects.toBeInstanceOf(LoginCancelledError);
    });

    it('does not start when already cancelled', async () => {
      const log: KitRequest[] = [];
      const login = deviceLogin({
        issuer: ISSUER,
        clientId: CLIENT_ID,
        onPrompt: () => undefined,
        signal: AbortSignal.abort(),
        fetch: kitFetch(baseUrl, log),
      });
      await expect(login).rejects.toBeInstanceOf(LoginCancelledError);
      expect(log).toEqual([]);
    });

    it('refuses metadata that names another issuer', async () => {
      const login = deviceLogin({
        issuer: 'http://localhost:3000/other',
        clientId: CLIENT_ID,
        onPrompt: () => undefined,
        sleep: clockSleep(testApp).sleep,
        fetch: (input, init) => kitFetch(baseUrl)(String(input).replace('/other', ''), init),
      });
      await expect(login).rejects.toThrow('The metadata names issuer http://localhost:3000, not http://localhost:3000/other');
    });
  });

  describe('DeviceAuthSession', () => {
    it('stores the session as a 0600 file in a 0700 folder, written atomically, even under umask 0', async () => {
      const previous = process.umask(0);
      let saved: StoredSession;
      try {
        saved = await loggedIn(session());
      } finally {
        process.umask(previous);
      }
      expect((await stat(storePath)).mode & 0o777).toBe(0o600);
      expect((await stat(join(temp.dir, 'config', 'sample-cli'))).mode & 0o777).toBe(0o700);
      expect((await stat(join(temp.dir, 'config'))).mode & 0o777).toBe(0o700);
      // No temp file or lock left behind.
      expect(await readdir(join(temp.dir, 'config', 'sample-cli'))).toEqual(['credentials.json']);
      expect(await stored()).toEqual(saved);
      expect(saved).toMatchObject({ issuer: ISSUER, clientId: CLIENT_ID, refreshToken: expect.stringMatching(/^brt_/) });
      expect(saved.scope?.split(' ').sort()).toEqual([
        'email',
        'listings:read',
        'listings:write',
        'offline_access',
        'openid',
        'profile',
        'tokens:manage',
        'user:read',
      ]);
    });

    it('hands out the stored access token while it is valid, without calling the server', async () => {
      const log: KitRequest[] = [];
      const kit = session(log);
      const { accessToken, expiresAt } = await loggedIn(kit);
      testApp.clock.advance((expiresAt - testApp.clock.now() - REFRESH_MARGIN_MS - 1000) / 1000);
      log.length = 0;
      expect(await kit.getAccessToken()).toBe(accessToken);
      expect(log).toEqual([]);
    });

    it('refreshes shortly before expiry, rotating the refresh token and saving it before it returns', async () => {
      const log: KitRequest[] = [];
      const kit = session(log);
      const first = await loggedIn(kit);
      testApp.clock.advance((first.expiresAt - testApp.clock.now() - REFRESH_MARGIN_MS + 1000) / 1000);

      const token = await kit.getAccessToken();
      expect(refreshRequests(log).map((entry) => entry.status)).toEqual([200]);
      expect(token).not.toBe(first.accessToken);
      const second = await stored();
      expect(second.accessToken).toBe(token);
      expect(second.refreshToken).toMatch(/^brt_/);
      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect(second.expiresAt).toBe(testApp.clock.now() + ACCESS_TOKEN_TTL_MS);
      expect((await stat(storePath)).mode & 0o777).toBe(0o600);
      expect((await callMe(testApp, token).expect(200)).body.username).toBe('alice');

      // The rotated token is the live one: the next refresh, an hour later, works too.
      testApp.clock.advance(ACCESS_TOKEN_TTL_MS / 1000);
      const response = await kit.fetch(`${ISSUER}/api/v1/me`);
      expect(response.status).toBe(200);
      expect(((await response.json()) as { username: string }).username).toBe('alice');
      const third = await stored();
      expect(third.refreshToken).not.toBe(second.refreshToken);
      expect(refreshRequests(log).map((entry) => entry.status)).toEqual([200, 200]);
      expect(await revocationOf(testApp, first.refreshToken as string)).toBeNull();
    });

    it('on invalid_grant forgets the session and asks for a new login (LoginRequiredError)', async () => {
      const kit = session();
      const { refreshToken, expiresAt } = await loggedIn(kit);
      // Signed out elsewhere (e.g. on the website): the grant is revoked at the server.
      await request(testApp.http).post('/o/revoke/').type('form').send({ client_id: CLIENT_ID, token: refreshToken }).expect(200);
      testApp.clock.advance((expiresAt - testApp.clock.now()) / 1000);

      await expect(kit.getAccessToken()).rejects.toBeInstanceOf(LoginRequiredError);
      expect(await exists(storePath)).toBe(false);
      await expect(kit.fetch(`${ISSUER}/api/v1/me`)).rejects.toThrow(new LoginRequiredError());
    });

    it('throws LoginRequiredError when nothing is stored, or the store holds another server’s session', async () => {
      await expect(session().getAccessToken()).rejects.toThrow(new LoginRequiredError());
      const kit = session();
      const own = await loggedIn(kit);
      await new TokenStore({ path: storePath }).write({ ...own, issuer: 'https://elsewhere.example' });
      await expect(kit.getAccessToken()).rejects.toBeInstanceOf(LoginRequiredError);
    });

    it('fetch sends the bearer token and, after a 401, refreshes and retries once', async () => {
      const log: KitRequest[] = [];
      const kit = session(log);
      const own = await loggedIn(kit);
      // An access token the server no longer takes, though the store thinks it has an hour left.
      await new TokenStore({ path: storePath }).write({ ...own, accessToken: own.accessToken.slice(0, -4) + 'AAAA' });
      log.length = 0;

      const response = await kit.fetch(`${ISSUER}/api/v1/me`, { headers: { accept: 'application/json' } });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { username: string }).username).toBe('alice');
      expect(log.map((entry) => `${entry.path} ${entry.status}`)).toEqual(['/api/v1/me 401', '/o/token/ 200', '/api/v1/me 200']);
      expect((await stored()).refreshToken).not.toBe(own.refreshToken);
    });

    it('fetch retries no more than once', async () => {
      const log: KitRequest[] = [];
      const apiCalls: string[] = [];
      const real = kitFetch(baseUrl, log);
      const kit = session(log, {
        fetch: async (input, init) => {
          if (!String(input).endsWith('/api/v1/me')) return real(input, init);
          apiCalls.push(new Headers(init?.headers).get('authorization') as string);
          return new Response('{"message":"no"}', { status: 401 });
        },
      });
      await loggedIn(kit);
      const response = await kit.fetch(`${ISSUER}/api/v1/me`);
      expect(response.status).toBe(401);
      expect(apiCalls).toHaveLength(2);
      expect(apiCalls[1]).not.toBe(apiCalls[0]); // the retry carried the refreshed token
      expect(refreshRequests(log)).toHaveLength(1);
    });

    describe('a token from the environment', () => {
      async function personalAccessToken(accessToken: string): Promise<string> {
        const response = await request(testApp.http)
          .post('/o/personal-access-tokens')
          .set('Authorization', `Bearer ${accessToken}`)
          .send({ name: 'ci', scopes: ['user:read'], expiresInDays: 30 })
          .expect(201);
        expect(response.body.token).toMatch(/^bpat_/);
        return response.body.token as string;
      }

      it('is used without any stored session, and the store is never touched', async () => {
        const pat = await personalAccessToken((await loggedIn(session())).accessToken);
        const elsewhere = join(temp.dir, 'never', 'credentials.json');
        const log: KitRequest[] = [];
        const kit = session(log, { environmentToken: pat, store: new TokenStore({ path: elsewhere }) });
        expect(kit.usesEnvironmentToken).toBe(true);
        expect(await kit.getAccessToken()).toBe(pat);
        const response = await kit.fetch(`${ISSUER}/api/v1/me`);
        expect(await response.json()).toMatchObject({ username: 'alice', tokenKind: 'pat', scopes: ['user:read'] });
        expect(await exists(join(temp.dir, 'never'))).toBe(false);
        expect(log.map((entry) => entry.path)).toEqual(['/api/v1/me']);
      });

      it('takes precedence over a stored session, and a refused one is not "refreshed"', async () => {
        const own = await loggedIn(session());
        const pat = await personalAccessToken(own.accessToken);
        const me = await session([], { environmentToken: pat }).fetch(`${ISSUER}/api/v1/me`);
        expect(((await me.json()) as { tokenKind: string }).tokenKind).toBe('pat');

        const log: KitRequest[] = [];
        const refused = await session(log, { environmentToken: 'bpat_not-a-real-token' }).fetch(`${ISSUER}/api/v1/me`);
        expect(refused.status).toBe(401);
        expect(log.map((entry) => entry.path)).toEqual(['/api/v1/me']);
        expect(await stored()).toEqual(own);
      });
    });

    it('logout revokes the whole family at the server and deletes the store', async () => {
      const log: KitRequest[] = [];
      const kit = session(log);
      const first = await loggedIn(kit);
      testApp.clock.advance(ACCESS_TOKEN_TTL_MS / 1000);
      await kit.getAccessToken(); // one rotation, so the family has a spent and a live token
      const current = await stored();

      expect(await kit.logout()).toBe('revoked');
      expect(log.filter((entry) => entry.path === '/o/revoke/').map((entry) => entry.status)).toEqual([200]);
      expect(await exists(storePath)).toBe(false);
      for (const refreshToken of [current.refreshToken as string, first.refreshToken as string]) {
        expect((await refresh(testApp, refreshToken).expect(400)).body.error).toBe('invalid_grant');
      }
      await callMe(testApp, current.accessToken).expect(401);
      expect(await revocationOf(testApp, first.refreshToken as string)).toBe('revoked');
      await expect(kit.getAccessToken()).rejects.toBeInstanceOf(LoginRequiredError);
    });

    it('a second login revokes the session it replaces', async () => {
      const kit = session();
      const first = await loggedIn(kit);
      const second = await loggedIn(kit);
      expect((await stored()).refreshToken).toBe(second.refreshToken);
      expect((await refresh(testApp, first.refreshToken as string).expect(400)).body.error).toBe('invalid_grant');
      await callMe(testApp, first.accessToken).expect(401);
      await callMe(testApp, second.accessToken).expect(200);
    });

    it('logout never sends a session stored for another server to this one', async () => {
      const log: KitRequest[] = [];
      const own = await loggedIn(session());
      await new TokenStore({ path: storePath }).write({ ...own, issuer: 'https://elsewhere.example' });
      expect(await session(log).logout()).toBe('removed');
      expect(log.filter((entry) => entry.path === '/o/revoke/')).toEqual([]);
      expect(await exists(storePath)).toBe(false);
      // That token was not revoked here: it still refreshes.
      await refresh(testApp, own.refreshToken as string).expect(200);
    });

    it('logout with nothing stored says so, and asks the server nothing', async () => {
      const log: KitRequest[] = [];
      expect(await session(log).logout()).toBe('none');
      expect(log).toEqual([]);
    });
  });

  describe('the userAgent option', () => {
    const PRODUCT = 'acme-cli/1.4.0';
    const FULL = new RegExp(
      `^acme-cli/1\\.4\\.0 nest-device-auth/\\d+\\.\\d+\\.\\d+\\S* node/${process.versions.node} ${process.platform}$`,
    );

    /** The kit's fetch, noting the User-Agent of each request as it leaves for the server. */
    function namedFetch(sent: { path: string; userAgent: string | null }[]): typeof fetch {
      const real = kitFetch(baseUrl);
      return (input, init) => {
        sent.push({ path: new URL(String(input)).pathname, userAgent: new Headers(init?.headers).get('user-agent') });
        return real(input, init);
      };
    }

    it('arrives at the server with the device authorization, which keeps it for the confirmation page', async () => {
      const authorizations = (): Promise<{ id: string; request_user_agent: string }[]> =>
        testApp.app.get(DataSource).query('SELECT id, request_user_agent FROM device_auth_device_authorizations');
      const before = new Set((await authorizations()).map((row) => row.id));
      const result = await deviceLogin({
        issuer: ISSUER,
        clientId: CLIENT_ID,
        userAgent: PRODUCT,
        onPrompt: (prompt) => decideAsAlice(testApp, prompt, 'approve'),
        sleep: clockSleep(testApp).sleep,
        fetch: kitFetch(baseUrl),
        now: () => testApp.clock.now(),
      });
      expect(result.refreshToken).toMatch(/^brt_/);
      const added = (await authorizations()).filter((row) => !before.has(row.id));
      expect(added).toEqual([{ id: expect.any(String), request_user_agent: expect.stringMatching(FULL) }]);
    });

    it('goes with every request of a session: login, refresh, API calls and logout', async () => {
      const sent: { path: string; userAgent: string | null }[] = [];
      const kit = session([], { userAgent: PRODUCT, fetch: namedFetch(sent) });
      await loggedIn(kit);
      testApp.clock.advance(ACCESS_TOKEN_TTL_MS / 1000);
      expect((await kit.fetch(`${ISSUER}/api/v1/me`)).status).toBe(200);
      expect(await kit.logout()).toBe('revoked');
      expect(new Set(sent.map((request) => request.path))).toEqual(
        new Set(['/.well-known/oauth-authorization-server', '/o/device-authorization/', '/o/token/', '/api/v1/me', '/o/revoke/']),
      );
      for (const request of sent) expect(request).toEqual({ path: request.path, userAgent: expect.stringMatching(FULL) });
    });
  });

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
      const one = session(log, { fetch: kitFetch(baseUrl, log, slowRefresh) });
      const two = session(log, { fetch: kitFetch(baseUrl, log, slowRefresh) });
      const [first, second] = await Promise.all([one.getAccessToken(), two.fetch(`${ISSUER}/api/v1/me`)]);

      expect(refreshRequests(log).map((entry) => entry.status)).toEqual([200]);
      expect(second.status).toBe(200);
      const after = await stored();
      expect(after.accessToken).toBe(first);
      expect(after.refreshToken).not.toBe(login.refreshToken);
      expect(await exists(`${storePath}.lock`)).toBe(false);
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
          spawn(process.execPath, [join(kitDir, '..', 'refresher.js'), ISSUER, baseUrl, storePath, String(testApp.clock.now())], {
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
        expect((await stat(storePath)).mode & 0o777).toBe(0o600);
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

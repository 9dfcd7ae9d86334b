import { AccessDeniedError, DeviceCodeExpiredError, deviceLogin, DevicePrompt, LoginCancelledError } from '../../lib/client';
import { clockSleep, KitRequest, kitFetch, tokenRequests } from './support/client-kit';
import { ACCESS_TOKEN_TTL_MS, CLIENT_ID, decideAsAlice, useKitEnvironment } from './support/client-kit-session';
import { callMe, DEVICE_GRANT, refresh } from './support/device-flow';
import { ISSUER } from './support/test-app';

const DEVICE_CODE_TTL_MS = 900_000;

const deviceCodePolls = (log: KitRequest[]) => tokenRequests(log, DEVICE_GRANT);

describe('client kit (lib/client) against the in-process sample app', () => {
  const env = useKitEnvironment();
  const { testApp } = env;

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
        fetch: kitFetch(env.baseUrl, log),
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
        fetch: kitFetch(env.baseUrl, log),
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
        fetch: kitFetch(env.baseUrl, log),
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
        fetch: kitFetch(env.baseUrl, log),
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
      const fetchImpl = kitFetch(env.baseUrl, log, ({ grantType }) => {
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
      const through = kitFetch(env.baseUrl, log);
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
        fetch: kitFetch(env.baseUrl, log),
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
        fetch: kitFetch(env.baseUrl, log),
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
        fetch: kitFetch(env.baseUrl, [], ({ path }) => {
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
        fetch: kitFetch(env.baseUrl, log),
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
        fetch: (input, init) => kitFetch(env.baseUrl)(String(input).replace('/other', ''), init),
      });
      await expect(login).rejects.toThrow('The metadata names issuer http://localhost:3000, not http://localhost:3000/other');
    });
  });
});

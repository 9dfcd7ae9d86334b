import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import request from 'supertest';
import { LoginRequiredError, StoredSession, TokenStore } from '../../lib/client';
import { KitRequest, kitFetch } from './support/client-kit';
import {
  ACCESS_TOKEN_TTL_MS,
  CLIENT_ID,
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

  describe('DeviceAuthSession', () => {
    it('stores the session as a 0600 file in a 0700 folder, written atomically, even under umask 0', async () => {
      const previous = process.umask(0);
      let saved: StoredSession;
      try {
        saved = await loggedIn(session());
      } finally {
        process.umask(previous);
      }
      expect((await stat(env.storePath)).mode & 0o777).toBe(0o600);
      expect((await stat(join(env.dir, 'config', 'sample-cli'))).mode & 0o777).toBe(0o700);
      expect((await stat(join(env.dir, 'config'))).mode & 0o777).toBe(0o700);
      // No temp file or lock left behind.
      expect(await readdir(join(env.dir, 'config', 'sample-cli'))).toEqual(['credentials.json']);
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
      expect((await stat(env.storePath)).mode & 0o777).toBe(0o600);
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
      expect(await exists(env.storePath)).toBe(false);
      await expect(kit.fetch(`${ISSUER}/api/v1/me`)).rejects.toThrow(new LoginRequiredError());
    });

    it('throws LoginRequiredError when nothing is stored, or the store holds another server’s session', async () => {
      await expect(session().getAccessToken()).rejects.toThrow(new LoginRequiredError());
      const kit = session();
      const own = await loggedIn(kit);
      await new TokenStore({ path: env.storePath }).write({ ...own, issuer: 'https://elsewhere.example' });
      await expect(kit.getAccessToken()).rejects.toBeInstanceOf(LoginRequiredError);
    });

    it('fetch sends the bearer token and, after a 401, refreshes and retries once', async () => {
      const log: KitRequest[] = [];
      const kit = session(log);
      const own = await loggedIn(kit);
      // An access token the server no longer takes, though the store thinks it has an hour left.
      await new TokenStore({ path: env.storePath }).write({ ...own, accessToken: own.accessToken.slice(0, -4) + 'AAAA' });
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
      const real = kitFetch(env.baseUrl, log);
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
        const elsewhere = join(env.dir, 'never', 'credentials.json');
        const log: KitRequest[] = [];
        const kit = session(log, { environmentToken: pat, store: new TokenStore({ path: elsewhere }) });
        expect(kit.usesEnvironmentToken).toBe(true);
        expect(await kit.getAccessToken()).toBe(pat);
        const response = await kit.fetch(`${ISSUER}/api/v1/me`);
        expect(await response.json()).toMatchObject({ username: 'alice', tokenKind: 'pat', scopes: ['user:read'] });
        expect(await exists(join(env.dir, 'never'))).toBe(false);
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
      expect(await exists(env.storePath)).toBe(false);
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
      await new TokenStore({ path: env.storePath }).write({ ...own, issuer: 'https://elsewhere.example' });
      expect(await session(log).logout()).toBe('removed');
      expect(log.filter((entry) => entry.path === '/o/revoke/')).toEqual([]);
      expect(await exists(env.storePath)).toBe(false);
      // That token was not revoked here: it still refreshes.
      await refresh(testApp, own.refreshToken as string).expect(200);
    });

    it('logout with nothing stored says so, and asks the server nothing', async () => {
      const log: KitRequest[] = [];
      expect(await session(log).logout()).toBe('none');
      expect(log).toEqual([]);
    });
  });
});

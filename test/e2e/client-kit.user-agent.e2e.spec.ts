import { DataSource } from 'typeorm';
import { deviceLogin } from '../../lib/client';
import { clockSleep, kitFetch } from './support/client-kit';
import { ACCESS_TOKEN_TTL_MS, CLIENT_ID, decideAsAlice, useKitEnvironment } from './support/client-kit-session';
import { ISSUER } from './support/test-app';

describe('client kit (lib/client) against the in-process sample app', () => {
  const env = useKitEnvironment();
  const { testApp, session, loggedIn } = env;

  describe('the userAgent option', () => {
    const PRODUCT = 'acme-cli/1.4.0';
    const FULL = new RegExp(
      `^acme-cli/1\\.4\\.0 nest-device-auth/\\d+\\.\\d+\\.\\d+\\S* node/${process.versions.node} ${process.platform}$`,
    );

    /** The kit's fetch, noting the User-Agent of each request as it leaves for the server. */
    function namedFetch(sent: { path: string; userAgent: string | null }[]): typeof fetch {
      const real = kitFetch(env.baseUrl);
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
        fetch: kitFetch(env.baseUrl),
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
});

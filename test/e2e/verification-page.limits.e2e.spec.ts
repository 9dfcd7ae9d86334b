import type TestAgent from 'supertest/lib/agent';
import { csrfTokenOf, decideInBrowser, signedInBrowser, startDeviceAuthorization } from './support/device-flow';
import { listenDualStack, useTestApp } from './support/test-app';
import { expectPageSecurityHeaders, expectStillPending, headingOf, openCode, submit } from './support/verification-page';

// Wrong user codes are counted per user and per IP, and these tests all come from one address:
// each describe therefore boots an app of its own and stays under 10 wrong guesses.

describe('verification page: limits on wrong codes', () => {
  const UNKNOWN_CODE = 'ZZZZ-ZZZZ';
  const guessWrong = async (browser: TestAgent, times: number) => {
    for (let i = 0; i < times; i++) await openCode(browser, UNKNOWN_CODE).expect(400);
  };

  describe('for one user', () => {
    const testApp = useTestApp();

    it('refuses even the right code (429) after 10 wrong ones, although a right code came in between', async () => {
      const start = await startDeviceAuthorization(testApp);
      const alice = await signedInBrowser(testApp, 'alice');

      await guessWrong(alice, 9);
      const rightCode = await openCode(alice, start.user_code).expect(200); // 9 wrong: not limited yet
      await guessWrong(alice, 1);

      const limited = await openCode(alice, start.user_code).expect(429);
      expectPageSecurityHeaders(limited);
      expect(headingOf(limited.text)).toBe('Too many attempts');
      await submit(alice, { user_code: start.user_code, csrf_token: csrfTokenOf(rightCode.text), action: 'approve' }).expect(429);
      await expectStillPending(testApp, start);
    });
  });

  describe('over time', () => {
    const testApp = useTestApp();

    it('lifts the limit once 15 minutes have passed since the first wrong code', async () => {
      const alice = await signedInBrowser(testApp, 'alice');
      await guessWrong(alice, 10);

      testApp.clock.advance(14 * 60 + 59);
      const meanwhile = await startDeviceAuthorization(testApp);
      await openCode(alice, meanwhile.user_code).expect(429);

      testApp.clock.advance(1);
      await openCode(alice, meanwhile.user_code).expect(200);
    });
  });

  describe('per user, never for another user on the same address', () => {
    const testApp = useTestApp();

    it('keeps a limited user out from any address, while another user on the same address goes on', async () => {
      await guessWrong(await signedInBrowser(testApp, 'alice'), 10); // from 127.0.0.1
      const start = await startDeviceAuthorization(testApp, 'team-cli');

      await openCode(await signedInBrowser(testApp, 'alice', '127.0.0.2'), start.user_code).expect(429);
      await openCode(await signedInBrowser(testApp, 'bob'), start.user_code).expect(200);
      // bob's own fresh code too: alice's typos used up only her own allowance.
      const bobsOwn = await startDeviceAuthorization(testApp, 'team-cli');
      await decideInBrowser(await signedInBrowser(testApp, 'bob'), bobsOwn.user_code, 'approve');
    });
  });

  describe('per IP address, for every account behind it (rateLimits.wrongUserCodesPerIp)', () => {
    const testApp = useTestApp({ deviceAuth: { rateLimits: { wrongUserCodesPerIp: { limit: 15, windowSeconds: 900 } } } });

    it('keeps every user out from an address whose accounts together guessed wrong too often, and lets them in from another', async () => {
      await guessWrong(await signedInBrowser(testApp, 'alice'), 10); // alice's own limit
      const bob = await signedInBrowser(testApp, 'bob');
      await guessWrong(bob, 5); // the address's 15th
      const start = await startDeviceAuthorization(testApp, 'team-cli');

      const limited = await openCode(bob, start.user_code).expect(429);
      expect(limited.headers['retry-after']).toBe('900');
      await openCode(await signedInBrowser(testApp, 'bob', '127.0.0.3'), start.user_code).expect(200);
      await openCode(await signedInBrowser(testApp, 'alice', '127.0.0.3'), start.user_code).expect(429);
    });
  });

  describe('per IP address, whatever its notation', () => {
    // Per user far above per address, so only the address's count can be what refuses bob.
    const testApp = useTestApp({
      deviceAuth: {
        rateLimits: { wrongUserCodes: { limit: 50, windowSeconds: 900 }, wrongUserCodesPerIp: { limit: 10, windowSeconds: 900 } },
      },
    });

    it('counts 127.0.0.1 and ::ffff:127.0.0.1 (a dual-stack listener) as the same address', async () => {
      await guessWrong(await signedInBrowser(testApp, 'alice'), 10); // seen as 127.0.0.1
      const start = await startDeviceAuthorization(testApp, 'team-cli');

      await listenDualStack(testApp);
      await openCode(await signedInBrowser(testApp, 'bob'), start.user_code).expect(429); // seen as ::ffff:127.0.0.1
      await openCode(await signedInBrowser(testApp, 'bob', '127.0.0.3'), start.user_code).expect(200);
    });

    it('shows a device that came over a dual-stack listener with its plain IPv4 address', async () => {
      await listenDualStack(testApp);
      const start = await startDeviceAuthorization(testApp, 'team-cli');
      const page = await openCode(await signedInBrowser(testApp, 'bob', '127.0.0.4'), start.user_code).expect(200);
      expect(page.text).toContain('from 127.0.0.1');
      expect(page.text).not.toContain('::ffff:');
    });
  });

  describe('not counting visits', () => {
    const testApp = useTestApp();

    it('lets a user reopen their own approved and denied codes, and expired ones, as often as they like', async () => {
      const alice = await signedInBrowser(testApp, 'alice');
      const approved = await startDeviceAuthorization(testApp);
      await decideInBrowser(alice, approved.user_code, 'approve');
      const denied = await startDeviceAuthorization(testApp);
      await decideInBrowser(alice, denied.user_code, 'deny');
      const expired = await startDeviceAuthorization(testApp);
      testApp.clock.advance(expired.expires_in);

      for (let i = 0; i < 15; i++) {
        await openCode(alice, approved.user_code).expect(200);
        await openCode(alice, denied.user_code).expect(200);
        await openCode(alice, expired.user_code).expect(400);
      }
      const fresh = await startDeviceAuthorization(testApp);
      await decideInBrowser(alice, fresh.user_code, 'approve');
    });
  });
});

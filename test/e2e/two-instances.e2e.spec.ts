import { decodeJwt } from 'jose';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { sha256Hex } from '../../lib/tokens/hashing';
import {
  callMe,
  decideInBrowser,
  DeviceStart,
  deviceLogin,
  AppUnderTest,
  pollToken,
  refresh,
  signedInBrowser,
  startDeviceAuthorization,
} from './support/device-flow';
import { useSampleAppInstances } from './support/instances/sample-app-instances';
import { usesPostgres } from './support/test-app';
import { openCode } from './support/verification-page';

// Instances share state only through a shared database: PostgreSQL. An SQLite file belongs to one
// process, and the in-memory SQLite of the other configurations to one app.
const describeOnPostgres = usesPostgres() ? describe : describe.skip;
// What the instances share through Redis needs one too: REDIS_URL (CI and the development machines set it).
const describeOnPostgresWithRedis = usesPostgres() && process.env.REDIS_URL ? describe : describe.skip;
// Real processes on the real clock: a test may wait out intervals and cache bounds, and a busy
// 2-core machine runs other suites next to these processes; Jest's 5 s default is too tight.
jest.setTimeout(30_000);

/** Short bounds so the suite can watch them pass: the processes run on the real clock, not a TestClock. */
const INTERVAL_SECONDS = 1;
const CACHE_SECONDS = 1;

/**
 * Waits as a CLI does between two polls. The instances are separate processes on the system
 * clock, which a test cannot move, so this is the one place the suite lets real time pass.
 */
const waitPollingInterval = (seconds = INTERVAL_SECONDS) => new Promise((resolve) => setTimeout(resolve, seconds * 1000 + 100));

/**
 * Calls `call` until it answers `status`, for at most `boundMs` of real time (the instances'
 * caches expire on the system clock); fails with the last answer when the bound passes first.
 */
async function answersWithin(call: () => request.Test, status: number, boundMs: number): Promise<void> {
  const started = Date.now();
  for (;;) {
    const response = await call();
    if (response.status === status) return;
    if (Date.now() - started > boundMs) throw new Error(`still ${response.status} after ${boundMs} ms: ${response.text}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const errorOf = async (test: request.Test): Promise<string> => {
  const response = await test;
  expect(response.status).toBe(400);
  expect(response.headers['cache-control']).toBe('no-store');
  return response.body.error as string;
};

const callWithToken = (instance: AppUnderTest, token: string) =>
  request(instance.http).get('/api/v1/me').set('Authorization', `Bearer ${token}`);

const expectInvalidToken = (response: request.Response) => {
  expect(response.status).toBe(401);
  expect(response.headers['www-authenticate']).toContain('error="invalid_token"');
};

/** A PAT the signed-in user creates through the API (on whichever instance the agent talks to). */
async function createPersonalAccessToken(browser: TestAgent): Promise<{ id: string; token: string }> {
  const created = await browser
    .post('/o/personal-access-tokens')
    .send({ name: 'deploy script', scopes: ['user:read'] })
    .expect(201);
  return created.body as { id: string; token: string };
}

describeOnPostgres('two sample-app processes on one PostgreSQL database', () => {
  const instances = useSampleAppInstances(2, {
    deviceAuth: {
      deviceCode: { interval: INTERVAL_SECONDS },
      accessToken: { revocationCacheSeconds: CACHE_SECONDS },
      personalAccessTokens: { cacheSeconds: CACHE_SECONDS },
    },
  });

  describe('the device flow', () => {
    it('runs across both: requested on A, approved on B, polled alternately on A and B', async () => {
      const [a, b] = instances.list;
      const start: DeviceStart = await startDeviceAuthorization(a);
      expect(start.interval).toBe(INTERVAL_SECONDS);
      expect(await errorOf(pollToken(a, start.device_code))).toBe('authorization_pending');
      await waitPollingInterval();
      expect(await errorOf(pollToken(b, start.device_code))).toBe('authorization_pending');

      // Sessions are per process in the sample app: the user signs in on B, where the page is served.
      const browser = await signedInBrowser(b, 'alice');
      await decideInBrowser(browser, start.user_code, 'approve');

      await waitPollingInterval();
      const tokens = (await pollToken(a, start.device_code).expect(200)).body;
      expect((await callMe(b, tokens.access_token).expect(200)).body.username).toBe('alice');
      // A repeated poll on the other instance (the answer was lost) gets the same session, not a second one.
      const repeated = (await pollToken(b, start.device_code).expect(200)).body;
      expect(repeated.refresh_token).toBe(tokens.refresh_token);
      expect(decodeJwt(repeated.access_token).grant_id).toBe(decodeJwt(tokens.access_token).grant_id);
    });

    it('slows down a client that polls A and B too fast, and the longer interval holds on both', async () => {
      const [a, b] = instances.list;
      const start = await startDeviceAuthorization(b);
      // Sent together, so the second poll comes sooner than the interval however busy the machine is.
      const answers = await Promise.all([errorOf(pollToken(a, start.device_code)), errorOf(pollToken(b, start.device_code))]);
      expect(answers.sort()).toEqual(['authorization_pending', 'slow_down']);
      // The interval grew by 5 seconds (RFC 8628 §3.5) in the shared row: the old interval is too fast on A and on B.
      await waitPollingInterval();
      expect(await errorOf(pollToken(a, start.device_code))).toBe('slow_down');
      await waitPollingInterval();
      expect(await errorOf(pollToken(b, start.device_code))).toBe('slow_down');
    });

    it('makes one grant of an approved code for 10 concurrent polls split across A and B: every answer carries it', async () => {
      const [a, b] = instances.list;
      const start = await startDeviceAuthorization(a);
      await decideInBrowser(await signedInBrowser(a, 'alice'), start.user_code, 'approve');
      const responses = await Promise.all(Array.from({ length: 10 }, (_, index) => pollToken(index % 2 ? b : a, start.device_code)));
      expect(responses.map((response) => response.status)).toEqual(responses.map(() => 200));
      expect(new Set(responses.map((response) => decodeJwt(response.body.access_token).grant_id)).size).toBe(1);
      expect(new Set(responses.map((response) => response.body.refresh_token)).size).toBe(1);
      // One family: the one refresh token rotates once, and its successor works on either instance.
      const rotated = (await refresh(a, responses[0].body.refresh_token).expect(200)).body;
      await refresh(b, rotated.refresh_token).expect(200);
    });
  });

  describe('refresh tokens', () => {
    it('leaves one live successor after 20 concurrent refreshes split across A and B: every caller gets it', async () => {
      const [a, b] = instances.list;
      const login = await deviceLogin(a);
      const responses = await Promise.all(Array.from({ length: 20 }, (_, index) => refresh(index % 2 ? b : a, login.refresh_token)));
      // Within the reuse grace window a racing caller is answered with the same successor (PROTOCOL.md).
      expect(responses.map((response) => response.status)).toEqual(responses.map(() => 200));
      const successors = new Set(responses.map((response) => response.body.refresh_token as string));
      expect(successors.size).toBe(1);
      const [successor] = successors;

      const [{ family_id }] = await instances.query<{ family_id: string }>(
        'SELECT family_id FROM device_auth_refresh_tokens WHERE token_hash = $1',
        [sha256Hex(login.refresh_token)],
      );
      const live = await instances.query(
        'SELECT id FROM device_auth_refresh_tokens WHERE family_id = $1 AND consumed_at IS NULL AND revoked_at IS NULL',
        [family_id],
      );
      expect(live).toHaveLength(1);
      await refresh(b, successor).expect(200);
    });

    it('detects reuse across instances: a spent token presented on A after its successor was used on B kills the family everywhere', async () => {
      const [a, b] = instances.list;
      const login = await deviceLogin(a);
      const first = (await refresh(a, login.refresh_token).expect(200)).body;
      const second = (await refresh(b, first.refresh_token).expect(200)).body;
      await callMe(b, second.access_token).expect(200); // B now trusts this grant from its cache

      expect(await errorOf(refresh(a, login.refresh_token))).toBe('invalid_grant');
      expect(await errorOf(refresh(b, second.refresh_token))).toBe('invalid_grant');
      expectInvalidToken(await callMe(a, second.access_token));
      // B's cached "not revoked" lasts at most revocationCacheSeconds.
      await answersWithin(() => callMe(b, second.access_token), 401, CACHE_SECONDS * 1000 + 1000);
    });
  });

  describe('personal access tokens', () => {
    it('stops working on B within cacheSeconds of a revocation through A, and on A at once', async () => {
      const [a, b] = instances.list;
      const alice = await signedInBrowser(a, 'alice');
      const created = await createPersonalAccessToken(alice);
      expect((await callWithToken(b, created.token).expect(200)).body.username).toBe('alice'); // now in B's cache

      await alice.delete(`/o/personal-access-tokens/${created.id}`).expect(204);
      expectInvalidToken(await callWithToken(a, created.token));
      await answersWithin(() => callWithToken(b, created.token), 401, CACHE_SECONDS * 1000 + 1000);
      expectInvalidToken(await callWithToken(b, created.token));
    });
  });
});

describeOnPostgresWithRedis('two sample-app processes sharing one Redis', () => {
  const TOKEN_REQUESTS_PER_IP = 6;
  // The caches at their default 5 s: what B learns sooner than that, it learned through Redis.
  const instances = useSampleAppInstances(2, {
    deviceAuth: { rateLimits: { tokenRequestsPerIp: { limit: TOKEN_REQUESTS_PER_IP, windowSeconds: 600 } } },
  });

  it('count wrong user codes together: five on A and five on B, and then both refuse even the right code', async () => {
    const [a, b] = instances.list;
    for (const instance of [a, b]) {
      const alice = await signedInBrowser(instance, 'alice');
      for (let guess = 0; guess < 5; guess++) await openCode(alice, 'ZZZZ-ZZZZ').expect(400);
    }
    const start = await startDeviceAuthorization(a);
    for (const instance of [a, b]) {
      const refused = await openCode(await signedInBrowser(instance, 'alice'), start.user_code).expect(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    }
  });

  it('throttle token requests per IP across both: half the limit on A and half on B use it up for either', async () => {
    const [a, b] = instances.list;
    for (let index = 0; index < TOKEN_REQUESTS_PER_IP; index++) {
      expect(await errorOf(pollToken(index % 2 ? b : a, 'bdc_unknown'))).toBe('invalid_grant');
    }
    for (const instance of [a, b]) {
      const refused = await pollToken(instance, 'bdc_unknown');
      expect([refused.status, refused.body.error]).toEqual([429, 'slow_down']);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    }
  });

  it('stop a PAT revoked through A on B within a second, well inside its 5 s cache', async () => {
    const [a, b] = instances.list;
    const alice = await signedInBrowser(a, 'alice');
    const created = await createPersonalAccessToken(alice);
    await callWithToken(b, created.token).expect(200); // now in B's cache for 5 s
    await alice.delete(`/o/personal-access-tokens/${created.id}`).expect(204);
    await answersWithin(() => callWithToken(b, created.token), 401, 1000);
  });
});

import { DataSource } from 'typeorm';
import { DeviceAuthEventMap, DeviceAuthEvents } from '../../lib';
import { sha256Hex } from '../../lib/tokens/hashing';
import { callMe, deviceLogin, refresh } from './support/device-flow';
import { bootTestApp, TestApp } from './support/test-app';

const DAY = 24 * 3600;

describe('POST /o/token/ with grant_type=refresh_token: rotation', () => {
  let testApp: TestApp;
  const reuse: DeviceAuthEventMap['refresh_token.reuse_detected'][] = [];
  beforeAll(async () => {
    testApp = await bootTestApp();
    testApp.app.get(DeviceAuthEvents).on('refresh_token.reuse_detected', (event) => void reuse.push(event));
  });
  afterAll(() => testApp.close());

  const errorOf = async (test: ReturnType<typeof refresh>) => {
    const response = await test;
    expect(response.status).toBe(400);
    return response.body.error as string;
  };

  it('spends the token and returns a new refresh token and a new access token', async () => {
    const login = await deviceLogin(testApp);
    testApp.clock.advance(60);
    const response = await refresh(testApp, login.refresh_token).expect(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body.refresh_token).toMatch(/^brt_/);
    expect(response.body.refresh_token).not.toBe(login.refresh_token);
    expect(response.body.access_token).not.toBe(login.access_token);
    expect(response.body.scope).toBe(login.scope);
    const me = await callMe(testApp, response.body.access_token).expect(200);
    expect(me.body.username).toBe('alice');
    // The successor keeps working, rotation after rotation.
    testApp.clock.advance(60);
    const next = await refresh(testApp, response.body.refresh_token).expect(200);
    expect(next.body.refresh_token).not.toBe(response.body.refresh_token);
  });

  describe('scope', () => {
    it('grants a narrower scope when asked, and keeps the family’s scope for later refreshes', async () => {
      const login = await deviceLogin(testApp);
      const narrow = await refresh(testApp, login.refresh_token, 'sample-cli', 'user:read').expect(200);
      expect(narrow.body.scope).toBe('user:read');
      const again = await refresh(testApp, narrow.body.refresh_token).expect(200);
      expect(again.body.scope).toBe(login.scope);
    });

    it('refuses a wider scope with invalid_scope and leaves the token usable', async () => {
      const login = await deviceLogin(testApp, 'alice', 'sample-cli', 'user:read');
      expect(await errorOf(refresh(testApp, login.refresh_token, 'sample-cli', 'user:read listings:write'))).toBe('invalid_scope');
      await refresh(testApp, login.refresh_token).expect(200);
    });

    it('gives the original scope when none is asked for', async () => {
      const login = await deviceLogin(testApp, 'alice', 'sample-cli', 'user:read listings:read');
      expect((await refresh(testApp, login.refresh_token).expect(200)).body.scope).toBe('user:read listings:read');
    });
  });

  describe('tokens that are not good', () => {
    it('answers invalid_grant to another client’s refresh token, without spending it', async () => {
      const login = await deviceLogin(testApp, 'bob', 'team-cli');
      expect(await errorOf(refresh(testApp, login.refresh_token, 'sample-cli'))).toBe('invalid_grant');
      await refresh(testApp, login.refresh_token, 'team-cli').expect(200);
    });

    it('answers invalid_grant to an unknown, malformed or missing token', async () => {
      expect(await errorOf(refresh(testApp, 'brt_000000000000000000000000000000000000'))).toBe('invalid_grant');
      expect(await errorOf(refresh(testApp, 'garbage'))).toBe('invalid_grant');
      const response = await refresh(testApp, '');
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('invalid_request');
    });

    it('answers invalid_grant to a token idle past refreshToken.ttl (30 days)', async () => {
      const login = await deviceLogin(testApp);
      testApp.clock.advance(30 * DAY);
      expect(await errorOf(refresh(testApp, login.refresh_token))).toBe('invalid_grant');
    });

    it('never lets a family outlive its maximum age (90 days), however often it is refreshed', async () => {
      let { refresh_token } = await deviceLogin(testApp);
      for (let refreshes = 0; refreshes < 4; refreshes++) {
        testApp.clock.advance(20 * DAY);
        refresh_token = (await refresh(testApp, refresh_token).expect(200)).body.refresh_token;
      }
      testApp.clock.advance(10 * DAY); // 90 days since the login, 10 since the last refresh
      expect(await errorOf(refresh(testApp, refresh_token))).toBe('invalid_grant');
    });
  });

  describe('reuse detection', () => {
    it('revokes the whole family when a spent token comes back after the grace window', async () => {
      const login = await deviceLogin(testApp);
      const rotated = (await refresh(testApp, login.refresh_token).expect(200)).body;
      testApp.clock.advance(31);
      expect(await errorOf(refresh(testApp, login.refresh_token))).toBe('invalid_grant');
      // The live successor is dead too…
      expect(await errorOf(refresh(testApp, rotated.refresh_token))).toBe('invalid_grant');
      // …and so are the access tokens of the family.
      const me = await callMe(testApp, rotated.access_token).expect(401);
      expect(me.headers['www-authenticate']).toContain('error="invalid_token"');
      await callMe(testApp, login.access_token).expect(401);
      await new Promise(setImmediate);
      expect(reuse).toContainEqual({ familyId: expect.any(String), clientId: 'sample-cli', userId: await testApp.userId('alice') });
    });

    it('leaves other families of the same user alone', async () => {
      const other = await deviceLogin(testApp);
      const login = await deviceLogin(testApp);
      await refresh(testApp, login.refresh_token).expect(200);
      testApp.clock.advance(31);
      await refresh(testApp, login.refresh_token).expect(400);
      await callMe(testApp, other.access_token).expect(200);
      await refresh(testApp, other.refresh_token).expect(200);
    });
  });

  describe('grace window', () => {
    it('answers a retry of a spent token within the window with the same successor', async () => {
      const login = await deviceLogin(testApp);
      const first = (await refresh(testApp, login.refresh_token).expect(200)).body;
      testApp.clock.advance(20);
      const retry = (await refresh(testApp, login.refresh_token).expect(200)).body;
      expect(retry.refresh_token).toBe(first.refresh_token);
      await callMe(testApp, retry.access_token).expect(200);
      // The one successor is the live token.
      await refresh(testApp, first.refresh_token).expect(200);
    });

    it('does not answer a retry once the successor itself has been used: that is reuse', async () => {
      const login = await deviceLogin(testApp);
      const first = (await refresh(testApp, login.refresh_token).expect(200)).body;
      const second = (await refresh(testApp, first.refresh_token).expect(200)).body;
      expect(await errorOf(refresh(testApp, login.refresh_token))).toBe('invalid_grant');
      expect(await errorOf(refresh(testApp, second.refresh_token))).toBe('invalid_grant');
    });

    it('never revives a family revoked on purpose', async () => {
      const login = await deviceLogin(testApp);
      const first = (await refresh(testApp, login.refresh_token).expect(200)).body;
      await (
        await import('supertest')
      )
        .default(testApp.http)
        .post('/o/revoke/')
        .type('form')
        .send({ client_id: 'sample-cli', token: first.refresh_token })
        .expect(200);
      expect(await errorOf(refresh(testApp, login.refresh_token))).toBe('invalid_grant');
      expect(await errorOf(refresh(testApp, first.refresh_token))).toBe('invalid_grant');
    });

    it('leaves exactly one live successor after 20 concurrent refreshes with one token, and no 500s', async () => {
      const login = await deviceLogin(testApp);
      const responses = await Promise.all(Array.from({ length: 20 }, () => refresh(testApp, login.refresh_token)));
      expect(responses.map((response) => response.status).filter((status) => status >= 500)).toEqual([]);
      const successors = new Set(responses.filter((r) => r.status === 200).map((r) => r.body.refresh_token));
      expect(successors.size).toBe(1);
      const database = testApp.app.get(DataSource);
      const [{ family_id }] = await database.query(
        `SELECT family_id FROM device_auth_refresh_tokens WHERE token_hash = '${sha256Hex(login.refresh_token)}'`,
      );
      const live = await database.query(
        `SELECT id FROM device_auth_refresh_tokens WHERE family_id = '${family_id}' AND consumed_at IS NULL AND revoked_at IS NULL`,
      );
      expect(live).toHaveLength(1);
      await refresh(testApp, [...successors][0]).expect(200);
    });
  });
});

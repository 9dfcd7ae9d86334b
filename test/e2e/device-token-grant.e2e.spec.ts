import { decodeJwt, decodeProtectedHeader } from 'jose';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CLIENT_CACHE_MS } from '../../lib/clients/clients.service';
import { ClientsService, GrantRevocation } from '../../lib';
import {
  csrfTokenOf,
  decideInBrowser,
  deviceLogin,
  DEVICE_GRANT,
  pollToken,
  refresh,
  signedInBrowser,
  startDeviceAuthorization,
} from './support/device-flow';
import { bootTestApp, ISSUER, TestApp } from './support/test-app';
import { present } from './support/present';

describe('POST /o/token/ with the device grant (RFC 8628 §3.4–3.5)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await bootTestApp();
  });
  afterAll(() => testApp.close());

  const errorOf = async (test: request.Test) => (await test.expect(400)).body.error as string;

  describe('before the user decides', () => {
    it('answers authorization_pending on the first poll, never slow_down', async () => {
      const start = await startDeviceAuthorization(testApp);
      expect(await errorOf(pollToken(testApp, start.device_code))).toBe('authorization_pending');
    });

    it('answers slow_down to a poll sooner than the interval, and grows the interval by 5 s', async () => {
      const start = await startDeviceAuthorization(testApp);
      await pollToken(testApp, start.device_code).expect(400);
      testApp.clock.advance(2);
      expect(await errorOf(pollToken(testApp, start.device_code))).toBe('slow_down');
      // The interval is now 10 s from the slowed poll: 5 s later is still too soon…
      testApp.clock.advance(5);
      expect(await errorOf(pollToken(testApp, start.device_code))).toBe('slow_down');
      // …and now 15 s: waiting it out gives authorization_pending again.
      testApp.clock.advance(15);
      expect(await errorOf(pollToken(testApp, start.device_code))).toBe('authorization_pending');
      testApp.clock.advance(14);
      expect(await errorOf(pollToken(testApp, start.device_code))).toBe('slow_down');
    });

    it('keeps polls at the interval pending', async () => {
      const start = await startDeviceAuthorization(testApp);
      for (let poll = 0; poll < 3; poll++) {
        expect(await errorOf(pollToken(testApp, start.device_code))).toBe('authorization_pending');
        testApp.clock.advance(start.interval);
      }
    });
  });

  describe('after the user decides', () => {
    it('answers access_denied when the user denied', async () => {
      const start = await startDeviceAuthorization(testApp);
      await decideInBrowser(await signedInBrowser(testApp, 'alice'), start.user_code, 'deny');
      expect(await errorOf(pollToken(testApp, start.device_code))).toBe('access_denied');
    });

    it('answers expired_token past expires_in, even when approved late', async () => {
      const start = await startDeviceAuthorization(testApp);
      const browser = await signedInBrowser(testApp, 'alice');
      const confirm = await browser.get('/oauth/device').query({ user_code: start.user_code }).expect(200);
      testApp.clock.advance(start.expires_in);
      const lateApproval = await browser
        .post('/oauth/device')
        .type('form')
        .send({ user_code: start.user_code, csrf_token: csrfTokenOf(confirm.text), action: 'approve' });
      expect(lateApproval.status).toBe(400);
      expect(await errorOf(pollToken(testApp, start.device_code))).toBe('expired_token');
    });

    it('answers expired_token when approved in time but polled after expiry', async () => {
      const start = await startDeviceAuthorization(testApp);
      await decideInBrowser(await signedInBrowser(testApp, 'alice'), start.user_code, 'approve');
      testApp.clock.advance(start.expires_in + 1);
      expect(await errorOf(pollToken(testApp, start.device_code))).toBe('expired_token');
    });

    it('issues a Bearer JWT access token, a refresh token and the scope, never cached', async () => {
      const start = await startDeviceAuthorization(testApp, 'sample-cli', 'user:read listings:read');
      await decideInBrowser(await signedInBrowser(testApp, 'alice'), start.user_code, 'approve');
      const response = await pollToken(testApp, start.device_code).expect(200);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['pragma']).toBe('no-cache');
      expect(response.body).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 3600,
        refresh_token: expect.stringMatching(/^brt_[0-9A-Za-z]{36}$/),
        scope: 'user:read listings:read',
      });
    });

    it('grants all of the client’s scopes when the device asked for none', async () => {
      expect((await deviceLogin(testApp, 'alice')).scope).toBe(
        'user:read listings:read listings:write tokens:manage openid profile email offline_access',
      );
    });

    it('signs an RFC 9068 access token for the approving user', async () => {
      const tokens = await deviceLogin(testApp, 'alice', 'sample-cli', 'user:read');
      const header = decodeProtectedHeader(tokens.access_token);
      expect(header.typ).toBe('at+jwt');
      expect(header.alg).toBe('ES256');
      const claims = decodeJwt(tokens.access_token);
      expect(claims).toMatchObject({
        iss: ISSUER,
        sub: await testApp.userId('alice'),
        aud: ISSUER,
        client_id: 'sample-cli',
        scope: 'user:read',
      });
      expect(present(claims.exp, 'exp') - present(claims.iat, 'iat')).toBe(3600);
      expect(claims.iat).toBe(Math.floor(testApp.clock.now() / 1000));
      expect(typeof claims.jti).toBe('string');
    });

    it('answers a repeated poll (its answer was lost) with tokens of the same grant and the same refresh token', async () => {
      const start = await startDeviceAuthorization(testApp);
      await decideInBrowser(await signedInBrowser(testApp, 'alice'), start.user_code, 'approve');
      const first = (await pollToken(testApp, start.device_code).expect(200)).body;
      testApp.clock.advance(start.interval);
      const again = (await pollToken(testApp, start.device_code).expect(200)).body;
      expect(again.refresh_token).toBe(first.refresh_token);
      expect(decodeJwt(again.access_token).grant_id).toBe(decodeJwt(first.access_token).grant_id);
      expect(again.access_token).not.toBe(first.access_token);
      // One session: the refresh token rotates once, whichever answer the device kept.
      await refresh(testApp, again.refresh_token).expect(200);
    });

    it('refuses a repeated poll once the refresh token it would repeat has been used', async () => {
      const start = await startDeviceAuthorization(testApp);
      await decideInBrowser(await signedInBrowser(testApp, 'alice'), start.user_code, 'approve');
      const first = (await pollToken(testApp, start.device_code).expect(200)).body;
      await refresh(testApp, first.refresh_token).expect(200);
      expect(await errorOf(pollToken(testApp, start.device_code))).toBe('invalid_grant');
    });

    it('refuses a repeated poll after deviceCode.repeatPollSeconds, and once the grant was revoked', async () => {
      const start = await startDeviceAuthorization(testApp);
      await decideInBrowser(await signedInBrowser(testApp, 'alice'), start.user_code, 'approve');
      await pollToken(testApp, start.device_code).expect(200);
      testApp.clock.advance(61);
      expect(await errorOf(pollToken(testApp, start.device_code))).toBe('invalid_grant');

      const revoked = await startDeviceAuthorization(testApp);
      await decideInBrowser(await signedInBrowser(testApp, 'alice'), revoked.user_code, 'approve');
      const tokens = (await pollToken(testApp, revoked.device_code).expect(200)).body;
      await testApp.app.get(GrantRevocation).revokeById(String(decodeJwt(tokens.access_token).grant_id));
      expect(await errorOf(pollToken(testApp, revoked.device_code))).toBe('invalid_grant');
    });

    it('makes exactly one grant of many concurrent polls after approval: every answer carries it', async () => {
      const grantCount = async () => Number((await testApp.app.get(DataSource).query('SELECT COUNT(*) AS n FROM device_auth_grants'))[0].n);
      const start = await startDeviceAuthorization(testApp);
      await decideInBrowser(await signedInBrowser(testApp, 'alice'), start.user_code, 'approve');
      const grantsBefore = await grantCount();
      const responses = await Promise.all(Array.from({ length: 12 }, () => pollToken(testApp, start.device_code)));
      expect(responses.map((response) => response.status)).toEqual(Array(12).fill(200));
      expect(new Set(responses.map((response) => decodeJwt(response.body.access_token).grant_id)).size).toBe(1);
      expect(new Set(responses.map((response) => response.body.refresh_token)).size).toBe(1);
      expect(await grantCount()).toBe(grantsBefore + 1);
    });
  });

  describe('personal apps', () => {
    it('binds tokens to the app’s owner: a request approved before the app changed hands gets no tokens', async () => {
      const start = await startDeviceAuthorization(testApp);
      await decideInBrowser(await signedInBrowser(testApp, 'alice'), start.user_code, 'approve');
      const database = testApp.app.get(DataSource);
      await database.query(
        `UPDATE device_auth_clients SET owner_user_id = '${await testApp.userId('bob')}' WHERE client_id = 'sample-cli'`,
      );
      // A change made outside ClientsService (here SQL, or another instance) is seen once the client cache lapses.
      testApp.clock.advance(CLIENT_CACHE_MS / 1000);
      try {
        expect(await errorOf(pollToken(testApp, start.device_code))).toBe('invalid_grant');
      } finally {
        await database.query(
          `UPDATE device_auth_clients SET owner_user_id = '${await testApp.userId('alice')}' WHERE client_id = 'sample-cli'`,
        );
        testApp.clock.advance(CLIENT_CACHE_MS / 1000);
      }
    });
  });

  describe('codes that are not this client’s', () => {
    it('answers invalid_grant to a device code of another client', async () => {
      const start = await startDeviceAuthorization(testApp, 'team-cli');
      expect(await errorOf(pollToken(testApp, start.device_code, 'sample-cli'))).toBe('invalid_grant');
      // …and the rightful client's request is untouched.
      expect(await errorOf(pollToken(testApp, start.device_code, 'team-cli'))).toBe('authorization_pending');
    });

    it('answers invalid_grant to an unknown or malformed device code', async () => {
      expect(await errorOf(pollToken(testApp, 'bdc_000000000000000000000000000000000000'))).toBe('invalid_grant');
      expect(await errorOf(pollToken(testApp, 'not-a-code'))).toBe('invalid_grant');
    });

    it('answers invalid_request without a device_code', async () => {
      const response = await request(testApp.http)
        .post('/o/token/')
        .type('form')
        .send({ grant_type: DEVICE_GRANT, client_id: 'sample-cli' });
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('invalid_request');
    });

    it('answers unauthorized_client to a client without the device grant', async () => {
      await testApp.app.get(ClientsService).register({
        clientId: 'no-device',
        name: 'No device',
        type: 'public',
        mode: 'partner',
        grantTypes: ['refresh_token'],
        scopes: ['user:read'],
      });
      expect(await errorOf(pollToken(testApp, 'bdc_000000000000000000000000000000000000', 'no-device'))).toBe('unauthorized_client');
    });
  });
});

import request from 'supertest';
import { DataSource } from 'typeorm';
import { PersonalAccessTokensService } from '../../lib';
import { PersonalAccessTokenStore } from '../../lib/storage/personal-access-token.store';
import { callMe, signedInBrowser } from './support/device-flow';
import {
  API,
  createToken,
  DAY,
  expectInvalidRequest,
  expectInvalidToken,
  iso,
  listTokens,
  LISTINGS,
  storedRow,
} from './support/personal-access-tokens';
import { bootTestApp, useTestApp } from './support/test-app';

describe('personal access tokens: options', () => {
  describe('allowNoExpiry: true', () => {
    const testApp = useTestApp({ deviceAuth: { personalAccessTokens: { allowNoExpiry: true } } });

    it('creates a token that never expires (expiresInDays: null), and calls with it say Token-Expiration: never', async () => {
      const created = await createToken(await signedInBrowser(testApp, 'alice'), { expiresInDays: null });
      expect(created.expiresAt).toBeNull();
      expect((await storedRow(testApp, created.id)).expires_at).toBeNull();
      testApp.clock.advance(10 * 366 * DAY);
      const me = await callMe(testApp, created.token).expect(200);
      expect(me.headers['token-expiration']).toBe('never');
    });

    it('still gives the default lifetime when no expiry is named', async () => {
      const created = await createToken(await signedInBrowser(testApp, 'alice'));
      expect(created.expiresAt).toBe(iso(testApp.clock.now() + 90 * DAY * 1000));
    });
  });

  describe('a 30-day maximum and a 7-day default', () => {
    const testApp = useTestApp({ deviceAuth: { personalAccessTokens: { maxTtl: 30 * DAY, defaultTtl: 7 * DAY } } });

    it('gives 7 days by default, accepts 30, and refuses 31 naming the maximum', async () => {
      const alice = await signedInBrowser(testApp, 'alice');
      const now = testApp.clock.now();
      expect((await createToken(alice)).expiresAt).toBe(iso(now + 7 * DAY * 1000));
      expect((await createToken(alice, { expiresInDays: 30 })).expiresAt).toBe(iso(now + 30 * DAY * 1000));
      expectInvalidRequest(
        await alice.post(API).send({ name: 'x', scopes: ['user:read'], expiresInDays: 31 }),
        /between 1 second and 30 days/,
      );
    });
  });

  describe('prefix: "acme_"', () => {
    const testApp = useTestApp({ deviceAuth: { personalAccessTokens: { prefix: 'acme_' } } });

    it('issues acme_ tokens that work, and refuses bpat_-shaped ones', async () => {
      const created = await createToken(await signedInBrowser(testApp, 'alice'));
      expect(created.token).toMatch(/^acme_[0-9A-Za-z]{36}$/);
      expect(created.hint).toBe(`acme_…${created.token.slice(-4)}`);
      expect((await callMe(testApp, created.token).expect(200)).body.tokenKind).toBe('pat');
      expectInvalidToken(await callMe(testApp, 'bpat_' + created.token.slice(5)));
    });
  });

  describe('cacheSeconds: 0', () => {
    const testApp = useTestApp({ deviceAuth: { personalAccessTokens: { cacheSeconds: 0 } } });

    it('reads the token on every call, so a revocation by another instance takes effect at once', async () => {
      const created = await createToken(await signedInBrowser(testApp, 'alice'));
      const lookups = jest.spyOn(testApp.app.get(PersonalAccessTokenStore), 'findByHash');
      try {
        for (let i = 0; i < 3; i++) await callMe(testApp, created.token).expect(200);
        expect(lookups).toHaveBeenCalledTimes(3);
        await testApp.app
          .get(DataSource)
          .query(`UPDATE device_auth_personal_access_tokens SET revoked_at = ${testApp.clock.now()} WHERE id = '${created.id}'`);
        expectInvalidToken(await callMe(testApp, created.token));
      } finally {
        lookups.mockRestore();
      }
    });
  });

  describe('scopes: listings:read and openid', () => {
    const testApp = useTestApp({ deviceAuth: { personalAccessTokens: { scopes: ['listings:read', 'openid'] } } });

    it('puts exactly those on tokens: openid is accepted, a scope left out is refused the same way as a sign-in scope', async () => {
      const alice = await signedInBrowser(testApp, 'alice');
      const created = await createToken(alice, { scopes: ['listings:read', 'openid'] });
      expect(created.scopes).toEqual(['listings:read', 'openid']);
      await callMe(testApp, created.token, LISTINGS).expect(200);
      expectInvalidRequest(
        await alice.post(API).send({ name: 'x', scopes: ['user:read'] }),
        /^scopes not allowed for this token: user:read$/,
      );
      expectInvalidRequest(await alice.post(API).send({ name: 'x', scopes: ['email'] }), /^scopes not allowed for this token: email$/);
      expect(await listTokens(alice)).toHaveLength(1);
    });

    it('narrows a grantableScopes hook to them too', async () => {
      const hooked = await bootTestApp({
        deviceAuth: { personalAccessTokens: { scopes: ['listings:read'], grantableScopes: () => ['listings:read', 'user:read', 'email'] } },
      });
      try {
        const service = hooked.app.get(PersonalAccessTokensService);
        expect(await service.grantableScopes(await hooked.userId('alice'))).toEqual(['listings:read']);
      } finally {
        await hooked.close();
      }
    });
  });

  describe('grantableScopes: bob may only grant user:read', () => {
    const users: { bob?: string } = {};
    const testApp = useTestApp({
      deviceAuth: {
        personalAccessTokens: {
          grantableScopes: (userId) =>
            userId === users.bob ? ['user:read'] : ['user:read', 'listings:read', 'listings:write', 'tokens:manage'],
        },
      },
    });
    beforeAll(async () => {
      users.bob = await testApp.userId('bob');
    });

    it('refuses bob a scope beyond his grantable ones, and gives alice hers', async () => {
      const bob = await signedInBrowser(testApp, 'bob');
      expectInvalidRequest(
        await bob.post(API).send({ name: 'x', scopes: ['user:read', 'listings:read'] }),
        /not allowed for this token: listings:read/,
      );
      expect(await listTokens(bob)).toEqual([]);
      await createToken(bob, { scopes: ['user:read'] });
      await createToken(await signedInBrowser(testApp, 'alice'), { scopes: ['user:read', 'listings:read'] });
    });

    it('keeps the sample app’s management scope next to the options a host adds', async () => {
      const manager = await createToken(await signedInBrowser(testApp, 'alice'), { scopes: ['tokens:manage'] });
      await request(testApp.http).get(API).set('Authorization', `Bearer ${manager.token}`).expect(200);
    });
  });
});

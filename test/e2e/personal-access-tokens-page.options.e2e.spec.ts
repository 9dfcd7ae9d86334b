import { PersonalAccessTokensService } from '../../lib';
import { callMe, signedInBrowser } from './support/device-flow';
import { DAY, listTokens } from './support/personal-access-tokens';
import { cellsOf, createFields, createOnPage, expiryOptionsOf, openPage, rowsOf, submit } from './support/personal-access-tokens-page';
import { useTestApp } from './support/test-app';
import { errorMessageOf } from './support/verification-page';

describe('API tokens page: the scopes a token may carry', () => {
  const offeredOf = (html: string) => [...html.matchAll(/name="scopes" value="([^"]*)"/g)].map((match) => match[1]);

  describe('by default', () => {
    const testApp = useTestApp();

    it('offers the API scopes and none of the sign-in scopes (openid, profile, email, offline_access), and refuses one sent anyway', async () => {
      const alice = await signedInBrowser(testApp, 'alice');
      expect(offeredOf((await openPage(alice)).text)).toEqual(['user:read', 'listings:read', 'listings:write', 'tokens:manage']);
      for (const scope of ['openid', 'profile', 'email', 'offline_access']) {
        const refused = await submit(alice, createFields('sign-in', ['user:read', scope]));
        expect(refused.status).toBe(400);
        expect(errorMessageOf(refused.text)).toBe(`You cannot give a token these scopes: ${scope}.`);
      }
      expect(await listTokens(alice)).toEqual([]);
    });
  });

  describe('personalAccessTokens.scopes: user:read and openid', () => {
    const testApp = useTestApp({ deviceAuth: { personalAccessTokens: { scopes: ['user:read', 'openid'] } } });

    it('offers exactly those, and creates a token with them', async () => {
      const alice = await signedInBrowser(testApp, 'alice');
      expect(offeredOf((await openPage(alice)).text)).toEqual(['user:read', 'openid']);
      const token = await createOnPage(alice, 'listed scopes', ['user:read', 'openid']);
      expect((await callMe(testApp, token).expect(200)).body.scopes).toEqual(['user:read', 'openid']);
      const refused = await submit(alice, createFields('not listed', ['listings:read']));
      expect(errorMessageOf(refused.text)).toBe('You cannot give a token these scopes: listings:read.');
    });
  });
});

describe('API tokens page: options', () => {
  describe('allowNoExpiry: true', () => {
    const testApp = useTestApp({ deviceAuth: { personalAccessTokens: { allowNoExpiry: true } } });

    it('offers "No expiry" last, and a token created with it never expires', async () => {
      const alice = await signedInBrowser(testApp, 'alice');
      const page = await openPage(alice);
      expect(expiryOptionsOf(page.text).values).toEqual(['7', '30', '60', '90', '180', '365', 'never']);
      expect(page.text).toContain('<option value="never">No expiry</option>');
      const token = await createOnPage(alice, 'forever', ['user:read'], 'never');
      testApp.clock.advance(5 * 366 * DAY);
      expect((await callMe(testApp, token).expect(200)).headers['token-expiration']).toBe('never');
      const row = rowsOf((await openPage(alice)).text).find((html) => html.includes('forever')) as string;
      expect(cellsOf(row).Expires).toBe('never');
      expect(row).toContain('<td class="action"><form');
    });
  });

  describe('a 30-day maximum and a 7-day default', () => {
    const testApp = useTestApp({ deviceAuth: { personalAccessTokens: { maxTtl: 30 * DAY, defaultTtl: 7 * DAY } } });

    it('offers only lifetimes within the maximum, selects the default, and refuses a longer one typed in', async () => {
      const alice = await signedInBrowser(testApp, 'alice');
      expect(expiryOptionsOf((await openPage(alice)).text)).toEqual({ values: ['7', '30'], selected: '7' });
      const refused = await submit(alice, createFields('long', ['user:read'], '60'));
      expect(refused.status).toBe(400);
      expect(errorMessageOf(refused.text)).toBe('Choose an expiry between 1 and 30 days.');
      expect(await listTokens(alice)).toEqual([]);
    });
  });

  describe('grantableScopes: bob may only grant user:read', () => {
    const users: { bob?: string } = {};
    const testApp = useTestApp({
      deviceAuth: {
        personalAccessTokens: { grantableScopes: (userId) => (userId === users.bob ? ['user:read'] : ['user:read', 'listings:read']) },
      },
    });
    beforeAll(async () => {
      users.bob = await testApp.userId('bob');
    });

    it('shows bob only the scopes he may grant, and refuses another one sent anyway', async () => {
      const bob = await signedInBrowser(testApp, 'bob');
      const page = await openPage(bob);
      expect([...page.text.matchAll(/name="scopes" value="([^"]*)"/g)].map((match) => match[1])).toEqual(['user:read']);
      const refused = await submit(bob, createFields('wider', ['user:read', 'listings:read']));
      expect(refused.status).toBe(400);
      expect(errorMessageOf(refused.text)).toBe('You cannot give a token these scopes: listings:read.');
      expect(await testApp.app.get(PersonalAccessTokensService).list(users.bob as string)).toEqual([]);
    });
  });
});

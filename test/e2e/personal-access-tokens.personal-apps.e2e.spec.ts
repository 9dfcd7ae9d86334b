import request from 'supertest';
import { DataSource } from 'typeorm';
import { ClientsService, PersonalAccessTokensService } from '../../lib';
import { sha256Hex } from '../../lib/tokens/hashing';
import { callMe, decideInBrowser, deviceLogin, pollToken, refresh, signedInBrowser, startDeviceAuthorization } from './support/device-flow';
import { API, createToken, expectInvalidRequest, listTokens } from './support/personal-access-tokens';
import { bootTestApp, TestApp } from './support/test-app';

describe('personal apps', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await bootTestApp();
    // A second personal app of alice's, narrower than sample-cli.
    await testApp.app.get(ClientsService).register({
      clientId: 'alice-reader',
      name: 'Alice’s reader',
      type: 'public',
      mode: 'personal',
      ownerUserId: await testApp.userId('alice'),
      grantTypes: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
      scopes: ['user:read'],
    });
  });
  afterAll(() => testApp.close());

  describe('PATs provisioned for a personal app (clientId)', () => {
    it('lets the app’s bound user create one: the principal names the app', async () => {
      const alice = await signedInBrowser(testApp, 'alice');
      const created = await createToken(alice, { clientId: 'sample-cli', scopes: ['user:read'] });
      expect(created.clientId).toBe('sample-cli');
      expect((await callMe(testApp, created.token).expect(200)).body).toMatchObject({
        username: 'alice',
        tokenKind: 'pat',
        clientId: 'sample-cli',
      });
    });

    it('refuses anyone else: bob cannot own a PAT of alice’s personal app, through the API or the service', async () => {
      const bob = await signedInBrowser(testApp, 'bob');
      expectInvalidRequest(
        await bob.post(API).send({ name: 'x', scopes: ['user:read'], clientId: 'sample-cli' }),
        /clientId must be a personal app bound to this user/,
      );
      expect(await listTokens(bob)).toEqual([]);
      await expect(
        testApp.app
          .get(PersonalAccessTokensService)
          .create({ userId: await testApp.userId('bob'), name: 'x', scopes: ['user:read'], clientId: 'sample-cli' }),
      ).rejects.toThrow(/personal app bound to this user/);
      expect(await listTokens(bob)).toEqual([]);
    });

    it('refuses a partner app as clientId', async () => {
      const alice = await signedInBrowser(testApp, 'alice');
      expectInvalidRequest(
        await alice.post(API).send({ name: 'x', scopes: ['user:read'], clientId: 'team-cli' }),
        /clientId must be a personal app bound to this user/,
      );
    });

    it('refuses scopes wider than the app’s own', async () => {
      const alice = await signedInBrowser(testApp, 'alice');
      const before = (await listTokens(alice)).length;
      expectInvalidRequest(
        await alice.post(API).send({ name: 'x', scopes: ['user:read', 'listings:read'], clientId: 'alice-reader' }),
        /not allowed for this token: listings:read/,
      );
      expect(await listTokens(alice)).toHaveLength(before);
      const within = await createToken(alice, { scopes: ['user:read'], clientId: 'alice-reader' });
      expect(within.clientId).toBe('alice-reader');
    });
  });

  describe('token requests carrying user_id', () => {
    it('refuses user_id on a device-code poll from a personal app (400 invalid_request) and leaves the code usable', async () => {
      const start = await startDeviceAuthorization(testApp, 'sample-cli');
      await decideInBrowser(await signedInBrowser(testApp, 'alice'), start.user_code, 'approve');
      const refused = await request(testApp.http)
        .post('/o/token/')
        .type('form')
        .send({
          grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
          device_code: start.device_code,
          client_id: 'sample-cli',
          user_id: await testApp.userId('bob'),
        })
        .expect(400);
      expect(refused.headers['cache-control']).toBe('no-store');
      expect(refused.body).toEqual({ error: 'invalid_request', error_description: 'user_id is not accepted for personal apps' });

      const tokens = (await pollToken(testApp, start.device_code).expect(200)).body;
      expect((await callMe(testApp, tokens.access_token).expect(200)).body.username).toBe('alice');
    });

    it('refuses user_id on a refresh from a personal app, even alice’s own id, without spending the refresh token', async () => {
      const login = await deviceLogin(testApp, 'alice', 'sample-cli');
      for (const userId of [await testApp.userId('bob'), await testApp.userId('alice')]) {
        const refused = await request(testApp.http)
          .post('/o/token/')
          .type('form')
          .send({ grant_type: 'refresh_token', refresh_token: login.refresh_token, client_id: 'sample-cli', user_id: userId })
          .expect(400);
        expect(refused.body).toEqual({ error: 'invalid_request', error_description: 'user_id is not accepted for personal apps' });
      }
      const rotated = (await refresh(testApp, login.refresh_token).expect(200)).body;
      expect((await callMe(testApp, rotated.access_token).expect(200)).body.username).toBe('alice');
    });

    it('never lets user_id change whom a partner app’s token speaks for', async () => {
      const login = await deviceLogin(testApp, 'bob', 'team-cli');
      const response = await request(testApp.http)
        .post('/o/token/')
        .type('form')
        .send({
          grant_type: 'refresh_token',
          refresh_token: login.refresh_token,
          client_id: 'team-cli',
          user_id: await testApp.userId('alice'),
        })
        .expect(200);
      expect((await callMe(testApp, response.body.access_token).expect(200)).body).toMatchObject({ username: 'bob', clientId: 'team-cli' });
    });
  });

  describe('every token issued through a personal app speaks for its owner', () => {
    it('issues alice’s tokens to sample-cli', async () => {
      const tokens = await deviceLogin(testApp, 'alice', 'sample-cli');
      expect((await callMe(testApp, tokens.access_token).expect(200)).body).toMatchObject({ username: 'alice', clientId: 'sample-cli' });
    });

    it('refuses bob’s approval of a sample-cli code on the page, and the code stays pending', async () => {
      const start = await startDeviceAuthorization(testApp, 'sample-cli');
      const bob = await signedInBrowser(testApp, 'bob');
      await bob.get('/oauth/device').query({ user_code: start.user_code }).expect(403);
      await bob.post('/oauth/device').type('form').send({ user_code: start.user_code, csrf_token: 'x', action: 'approve' }).expect(403);
      testApp.clock.advance(start.interval);
      expect((await pollToken(testApp, start.device_code).expect(400)).body.error).toBe('authorization_pending');
    });

    it('issues no token for a personal app’s request that someone other than its owner approved (a stored approval by bob)', async () => {
      const start = await startDeviceAuthorization(testApp, 'sample-cli');
      await testApp.app
        .get(DataSource)
        .query(
          `UPDATE device_auth_device_authorizations SET status = 'approved', user_id = '${await testApp.userId('bob')}' WHERE device_code_hash = '${sha256Hex(start.device_code)}'`,
        );
      const response = await pollToken(testApp, start.device_code).expect(400);
      expect(response.body.error).toBe('invalid_grant');
      expect(response.body.access_token).toBeUndefined();
    });
  });
});

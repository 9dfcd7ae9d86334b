import request from 'supertest';
import { ClientsService } from '../../lib';
import { bootInstancePair, InstancePair } from './support/instance-pair';
import { callMe, deviceLogin, signedInBrowser, startDeviceAuthorization } from './support/device-flow';
import { basicAuth, expectOAuthError } from './support/oauth-responses';
import { present } from './support/present';
import type { TestApp } from './support/test-app';
import { openCode } from './support/verification-page';
import { withinOneSecond } from './support/within-one-second';

/**
 * Two instances on one database and one Redis. Needs a Redis: REDIS_URL (CI and the development
 * machines set redis://127.0.0.1:6379). Without it this suite is skipped, as a fresh machine has none.
 */
const REDIS_URL = process.env.REDIS_URL;
const describeWithRedis = REDIS_URL ? describe : describe.skip;

/** A pair of instances for the enclosing `describe`, closed after its last test; use it inside tests only. */
function useInstancePair(): InstancePair {
  const pair = {} as InstancePair;
  beforeAll(async () => {
    Object.assign(pair, await bootInstancePair(present(REDIS_URL, 'REDIS_URL')));
  });
  afterAll(() => pair.close());
  return pair;
}

describeWithRedis('several instances on one database and one Redis share the rate-limit counters', () => {
  const pair = useInstancePair();

  it('count wrong user codes together: five on A and five on B, and both refuse even the right code', async () => {
    const { a, b } = pair;
    for (const instance of [a, b]) {
      const alice = await signedInBrowser(instance, 'alice');
      for (let i = 0; i < 5; i++) await openCode(alice, 'ZZZZ-ZZZZ').expect(400);
    }
    const start = await startDeviceAuthorization(a);
    for (const instance of [a, b]) await openCode(await signedInBrowser(instance, 'alice'), start.user_code).expect(429);
  });

  it('check a burst of parallel wrong codes split over A and B at most one past the limit (one in flight per other instance)', async () => {
    const { a, b } = pair;
    const browsers = [await signedInBrowser(a, 'bob', '127.0.0.8'), await signedInBrowser(b, 'bob', '127.0.0.8')];
    const statuses = await Promise.all(Array.from({ length: 30 }, async (_, i) => (await openCode(browsers[i % 2], 'ZZZZ-ZZZZ')).status));
    const checked = statuses.filter((status) => status === 400).length;
    expect(checked).toBeGreaterThanOrEqual(10);
    expect(checked).toBeLessThanOrEqual(11);
    expect(statuses.filter((status) => status === 429)).toHaveLength(30 - checked);
  });

  it('count wrong client secrets together', async () => {
    const { a, b } = pair;
    const { clientSecret } = await a.app.get(ClientsService).register({
      clientId: 'shared-bot',
      name: 'shared-bot',
      type: 'confidential',
      mode: 'partner',
      grantTypes: ['client_credentials'],
      scopes: ['listings:read'],
    });
    const clientCredentials = (instance: TestApp, secret: string) =>
      request(instance.http)
        .post('/o/token/')
        .type('form')
        .set('Authorization', basicAuth('shared-bot', secret))
        .send({ grant_type: 'client_credentials' });
    await clientCredentials(b, present(clientSecret, 'a client secret')).expect(200);
    for (const instance of [a, b])
      for (let i = 0; i < 5; i++) expectOAuthError(await clientCredentials(instance, 'wrong'), 401, 'invalid_client');
    for (const instance of [a, b])
      expectOAuthError(await clientCredentials(instance, present(clientSecret, 'a client secret')), 429, 'slow_down');
  });
});

describeWithRedis('several instances on one database and one Redis share changes to cached state', () => {
  const pair = useInstancePair();

  it('tell B at once of a client registered on A, although B had cached its absence', async () => {
    const { a, b } = pair;
    const startOnB = () => request(b.http).post('/o/device-authorization/').type('form').send({ client_id: 'late-cli' });
    expectOAuthError(await startOnB(), 401, 'invalid_client');
    await a.app.get(ClientsService).register({
      clientId: 'late-cli',
      name: 'late-cli',
      type: 'public',
      mode: 'partner',
      grantTypes: ['urn:ietf:params:oauth:grant-type:device_code'],
      scopes: ['listings:read'],
    });
    await withinOneSecond(async () => (await startOnB()).status, 200);
  });

  it('refuse on B a PAT revoked through A, although B had verified and cached it', async () => {
    const { a, b } = pair;
    const alice = await signedInBrowser(a, 'alice');
    const created = await alice
      .post('/o/personal-access-tokens')
      .send({ name: 'shared', scopes: ['user:read'] })
      .expect(201);
    await callMe(b, created.body.token).expect(200);

    await alice.delete(`/o/personal-access-tokens/${created.body.id}`).expect(204);
    // B's cache (personalAccessTokens.cacheSeconds) never goes stale here: the test clock stands still.
    await withinOneSecond(async () => (await callMe(b, created.body.token)).status, 401);
  });

  it('refuse on B the access tokens of a grant revoked through A, although B had found the grant live', async () => {
    const { a, b } = pair;
    const tokens = await deviceLogin(a);
    await callMe(b, tokens.access_token).expect(200);

    await request(a.http).post('/o/revoke/').type('form').send({ token: tokens.refresh_token, client_id: 'sample-cli' }).expect(200);
    await withinOneSecond(async () => (await callMe(b, tokens.access_token)).status, 401);
  });
});

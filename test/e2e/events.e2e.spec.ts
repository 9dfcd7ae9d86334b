import { DeviceAuthEventMap, DeviceAuthEventName } from '../../lib';
import { decideInBrowser, deviceLogin, refresh, signedInBrowser, startDeviceAuthorization } from './support/device-flow';
import { bootTestApp, TestApp } from './support/test-app';

describe('events for audit logs (options.events callbacks)', () => {
  let testApp: TestApp;
  const seen: { event: DeviceAuthEventName; payload: DeviceAuthEventMap[DeviceAuthEventName] }[] = [];
  const record =
    <E extends DeviceAuthEventName>(event: E) =>
    (payload: DeviceAuthEventMap[E]) =>
      void seen.push({ event, payload });

  beforeAll(async () => {
    testApp = await bootTestApp({
      deviceAuth: {
        events: {
          'device_authorization.approved': record('device_authorization.approved'),
          'device_authorization.denied': record('device_authorization.denied'),
          'tokens.issued': record('tokens.issued'),
          'refresh_token.reuse_detected': record('refresh_token.reuse_detected'),
          'token.revoked': () => {
            throw new Error('a broken listener must not break the request');
          },
        },
      },
    });
  });
  afterAll(() => testApp.close());
  beforeEach(() => void seen.splice(0));
  const settle = () => new Promise(setImmediate);

  it('reports approval and the tokens issued, with no secret in any payload', async () => {
    const login = await deviceLogin(testApp, 'alice', 'sample-cli', 'user:read');
    await settle();
    const alice = await testApp.userId('alice');
    expect(seen).toEqual([
      { event: 'device_authorization.approved', payload: { clientId: 'sample-cli', userId: alice, scope: 'user:read' } },
      {
        event: 'tokens.issued',
        payload: {
          grantId: expect.any(String),
          clientId: 'sample-cli',
          userId: alice,
          scope: 'user:read',
          grantType: 'urn:ietf:params:oauth:grant-type:device_code',
        },
      },
    ]);
    expect(JSON.stringify(seen)).not.toContain(login.refresh_token);
  });

  it('reports a denial', async () => {
    const start = await startDeviceAuthorization(testApp, 'team-cli');
    await decideInBrowser(await signedInBrowser(testApp, 'bob'), start.user_code, 'deny');
    await settle();
    expect(seen).toEqual([
      { event: 'device_authorization.denied', payload: { clientId: 'team-cli', userId: await testApp.userId('bob') } },
    ]);
  });

  it('reports refresh-token reuse with the family, client and user, once', async () => {
    const login = await deviceLogin(testApp);
    await refresh(testApp, login.refresh_token).expect(200);
    testApp.clock.advance(60);
    await refresh(testApp, login.refresh_token).expect(400);
    await refresh(testApp, login.refresh_token).expect(400);
    await settle();
    const reuse = seen.filter((entry) => entry.event === 'refresh_token.reuse_detected');
    expect(reuse).toEqual([
      {
        event: 'refresh_token.reuse_detected',
        payload: { familyId: expect.any(String), clientId: 'sample-cli', userId: await testApp.userId('alice') },
      },
    ]);
  });

  it('keeps answering when a listener throws', async () => {
    const login = await deviceLogin(testApp);
    const request = (await import('supertest')).default;
    await request(testApp.http).post('/o/revoke/').type('form').send({ client_id: 'sample-cli', token: login.refresh_token }).expect(200);
  });
});

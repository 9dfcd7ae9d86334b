import request from 'supertest';
import { deviceLogin, startDeviceAuthorization, pollToken, signedInBrowser, decideInBrowser } from './support/device-flow';
import { bootTestApp, TestApp } from './support/test-app';

describe('device flow, end to end', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await bootTestApp();
  });
  afterAll(() => testApp.close());

  it('signs alice in and lets the CLI call /api/v1/me with the token', async () => {
    const tokens = await deviceLogin(testApp, 'alice');
    expect(tokens.token_type).toBe('Bearer');
    const me = await request(testApp.http).get('/api/v1/me').set('Authorization', `Bearer ${tokens.access_token}`).expect(200);
    expect(me.body).toMatchObject({ username: 'alice', clientId: 'sample-cli', tokenKind: 'jwt' });
  });

  it('answers authorization_pending before approval, then tokens after it', async () => {
    const start = await startDeviceAuthorization(testApp);
    const pending = await pollToken(testApp, start.device_code).expect(400);
    expect(pending.body.error).toBe('authorization_pending');
    await decideInBrowser(await signedInBrowser(testApp, 'alice'), start.user_code, 'approve');
    testApp.clock.advance(start.interval);
    await pollToken(testApp, start.device_code).expect(200);
  });
});

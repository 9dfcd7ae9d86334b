import { DataSource } from 'typeorm';
import { ExpiredRowsCleaner } from '../../lib';
import { callMe, decideInBrowser, deviceLogin, pollToken, refresh, signedInBrowser, startDeviceAuthorization } from './support/device-flow';
import { bootTestApp, TestApp } from './support/test-app';

const DAY = 24 * 3600;

describe('purging expired and spent rows', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await bootTestApp({ deviceAuth: { cleanup: { batchSize: 2, intervalSeconds: 3600 } } });
  });
  afterAll(() => testApp.close());

  const count = async (table: string): Promise<number> =>
    Number((await testApp.app.get(DataSource).query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

  it('removes expired, used and revoked rows in batches, and leaves every live row working', async () => {
    // Rows that must go: five expired device requests (more than one batch), a used one, a revoked family.
    for (let i = 0; i < 5; i++) await startDeviceAuthorization(testApp);
    const revokedLogin = await deviceLogin(testApp, 'bob', 'team-cli');
    await refresh(testApp, revokedLogin.refresh_token, 'team-cli').expect(200);
    testApp.clock.advance(31);
    await refresh(testApp, revokedLogin.refresh_token, 'team-cli').expect(400); // reuse: the family is revoked
    testApp.clock.advance(900);

    // Rows that must stay: a pending request, an approved-but-unpolled one, a live family with a spent parent.
    const pending = await startDeviceAuthorization(testApp);
    const approved = await startDeviceAuthorization(testApp);
    await decideInBrowser(await signedInBrowser(testApp, 'alice'), approved.user_code, 'approve');
    const live = await deviceLogin(testApp);
    const rotated = (await refresh(testApp, live.refresh_token).expect(200)).body;

    const before = {
      requests: await count('device_auth_device_authorizations'),
      tokens: await count('device_auth_refresh_tokens'),
      grants: await count('device_auth_grants'),
    };
    const purged = await testApp.app.get(ExpiredRowsCleaner).purge();

    // Expired, plus bob's used one. Alice's login has just been used: it stays while a repeated poll may collect its tokens.
    expect(purged.deviceAuthorizations).toBe(5 + 1);
    expect(purged.refreshTokens).toBe(2); // bob's revoked family: the original and its successor
    expect(purged.grants).toBe(1);
    expect(await count('device_auth_device_authorizations')).toBe(before.requests - purged.deviceAuthorizations);
    expect(await count('device_auth_refresh_tokens')).toBe(before.tokens - 2);
    expect(await count('device_auth_grants')).toBe(before.grants - 1);

    // Everything live still works.
    expect((await pollToken(testApp, pending.device_code)).body.error).toBe('authorization_pending');
    await pollToken(testApp, approved.device_code).expect(200);
    await callMe(testApp, rotated.access_token).expect(200);
    // The spent parent is kept, so reuse detection still recognises it.
    testApp.clock.advance(31);
    expect((await refresh(testApp, live.refresh_token)).body.error).toBe('invalid_grant');
    await callMe(testApp, rotated.access_token).expect(401);
  });

  it('keeps a used device code for deviceCode.repeatPollSeconds after its exchange, then removes it', async () => {
    testApp.clock.advance(61); // past the window of the codes used above
    await testApp.app.get(ExpiredRowsCleaner).purge();
    const login = await startDeviceAuthorization(testApp);
    await decideInBrowser(await signedInBrowser(testApp, 'alice'), login.user_code, 'approve');
    await pollToken(testApp, login.device_code).expect(200);
    testApp.clock.advance(60);
    expect((await testApp.app.get(ExpiredRowsCleaner).purge()).deviceAuthorizations).toBe(0);
    await pollToken(testApp, login.device_code).expect(200);
    testApp.clock.advance(1);
    expect((await testApp.app.get(ExpiredRowsCleaner).purge()).deviceAuthorizations).toBe(1);
    expect((await pollToken(testApp, login.device_code)).body.error).toBe('invalid_grant');
  });

  it('removes refresh tokens and grants once they have expired', async () => {
    const login = await deviceLogin(testApp);
    await testApp.app.get(ExpiredRowsCleaner).purge();
    testApp.clock.advance(90 * DAY);
    const purged = await testApp.app.get(ExpiredRowsCleaner).purge();
    expect(purged.refreshTokens).toBeGreaterThanOrEqual(1);
    expect(purged.grants).toBeGreaterThanOrEqual(1);
    expect((await refresh(testApp, login.refresh_token)).body.error).toBe('invalid_grant');
  });
});

import { DataSource } from 'typeorm';
import { decideInBrowser, pollToken, signedInBrowser, startDeviceAuthorization } from './support/device-flow';
import { bootTestApp, TestApp } from './support/test-app';

describe('secrets at rest', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await bootTestApp();
  });
  afterAll(() => testApp.close());

  it('stores no device code, user code or refresh token in plain text', async () => {
    const start = await startDeviceAuthorization(testApp);
    await decideInBrowser(await signedInBrowser(testApp, 'alice'), start.user_code, 'approve');
    const tokens = (await pollToken(testApp, start.device_code).expect(200)).body;

    const database = testApp.app.get(DataSource);
    const rows = JSON.stringify([
      await database.query('SELECT * FROM device_auth_device_authorizations'),
      await database.query('SELECT * FROM device_auth_refresh_tokens'),
    ]);
    const canonicalUserCode = start.user_code.replace('-', '');
    for (const secret of [
      start.device_code,
      start.user_code,
      canonicalUserCode,
      canonicalUserCode.toLowerCase(),
      tokens.refresh_token,
      tokens.access_token,
    ]) {
      expect(rows).not.toContain(secret);
    }
    // What is stored is a 64-hex-digit digest.
    const [authorization] = await database.query('SELECT device_code_hash, user_code_hash FROM device_auth_device_authorizations');
    expect(authorization.device_code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(authorization.user_code_hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

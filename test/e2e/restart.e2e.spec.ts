import {
  AppUnderTest,
  callMe,
  decideInBrowser,
  deviceLogin,
  pollToken,
  refresh,
  signedInBrowser,
  startDeviceAuthorization,
} from './support/device-flow';
import { OwnDatabase, ownDatabase, SampleAppProcess } from './support/sample-app-process';

/**
 * `kill -9` and a restart lose nothing a client holds: the state of the device flow and of refresh
 * families is in the database, written before each answer. On an SQLite file, or on PostgreSQL
 * (a schema of its own) when DATABASE_URL says so; the platform follows HTTP_PLATFORM.
 */
describe('a pending device authorization and a live refresh family survive kill -9 and a restart', () => {
  jest.setTimeout(90_000);
  let database: OwnDatabase;
  let running: SampleAppProcess | undefined;
  beforeAll(async () => {
    database = await ownDatabase('restart');
  });
  afterAll(async () => {
    await running?.kill();
    await database?.remove();
  });

  const at = (app: SampleAppProcess): AppUnderTest => ({ http: app.baseUrl });

  it('approves and polls the device code, and rotates the refresh token, after the app was killed and restarted', async () => {
    running = await SampleAppProcess.start(database);
    const before = at(running);
    const pending = await startDeviceAuthorization(before);
    expect((await pollToken(before, pending.device_code).expect(400)).body.error).toBe('authorization_pending');
    const login = await deviceLogin(before);

    await running.kill();
    running = await SampleAppProcess.start(database, running.port);
    const after = at(running);

    // Sessions live in the sample app's memory: the user signs in again, the device waits.
    await decideInBrowser(await signedInBrowser(after, 'alice'), pending.user_code, 'approve');
    // slow_down paces pending polls only: an approved code is redeemed on the next poll.
    const approved = await pollToken(after, pending.device_code).expect(200);
    await callMe(after, approved.body.access_token).expect(200);

    // The signing key is in the database too: an access token minted before the kill still verifies.
    await callMe(after, login.access_token).expect(200);
    const rotated = await refresh(after, login.refresh_token).expect(200);
    await callMe(after, rotated.body.access_token).expect(200);
    await refresh(after, rotated.body.refresh_token).expect(200);
  });
});

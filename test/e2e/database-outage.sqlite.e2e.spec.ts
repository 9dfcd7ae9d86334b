import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { deviceLogin as cliDeviceLogin, DevicePrompt } from '../../lib/client';
import { clockSleep, KitRequest, kitFetch, listenForKit, tempDir, tokenRequests } from './support/client-kit';
import {
  csrfTokenOf,
  decideInBrowser,
  DEVICE_GRANT,
  deviceLogin,
  pollAgain,
  pollToken,
  refresh,
  signedInBrowser,
  startDeviceAuthorization,
} from './support/device-flow';
import { HOST_API_SCOPES, hostApi } from './support/host-routes';
import { basicAuth } from './support/oauth-responses';
import { answeredWithin, expectTemporarilyUnavailable, expectUnavailablePage } from './support/outage';
import { registerResourceServer } from './support/resource-server';
import { bootTestApp, ISSUER, TestApp, usesPostgres } from './support/test-app';

// An SQLite file's own outages (a read-only file); PostgreSQL's are staged through a proxy in
// database-outage.postgres.e2e.spec.ts.
const describeOnSqlite = usesPostgres() ? describe.skip : describe;

/** The app's busy timeout here: how long a write waits for a lock another connection holds. */
const BUSY_TIMEOUT_MS = 500;

describeOnSqlite('an SQLite file that became read-only or stays locked: 503 for every write, reads still served', () => {
  let temp: Awaited<ReturnType<typeof tempDir>>;
  let file: string;
  let testApp: TestApp;
  beforeAll(async () => {
    temp = await tempDir();
    file = join(temp.dir, 'app.sqlite');
    testApp = await bootTestApp({ databaseUrl: () => `sqlite:${file}`, databaseTimeouts: { connectMs: 1_000, queryMs: BUSY_TIMEOUT_MS } });
  });
  afterAll(async () => {
    await testApp?.close();
    await temp?.remove();
  });

  /**
   * The tests run as root on CI, whom file permissions do not stop, so the connection is made
   * read-only instead: SQLite then refuses writes with SQLITE_READONLY, as it does for a file
   * on a read-only mount or without write permission.
   */
  const setReadOnly = (readOnly: boolean) => testApp.app.get(DataSource).query(`PRAGMA query_only = ${readOnly ? 'ON' : 'OFF'}`);
  afterEach(() => setReadOnly(false));

  const http = () => request(testApp.http);

  it('answers the writes of machine endpoints and pages with 503, serves reads, and resumes once writable', async () => {
    const login = await deviceLogin(testApp, 'alice', 'sample-cli', 'openid user:read');
    const browser = await signedInBrowser(testApp, 'alice');
    const pending = await startDeviceAuthorization(testApp);
    const resourceServer = await registerResourceServer(testApp);

    await setReadOnly(true);

    expectTemporarilyUnavailable(await http().post('/o/device-authorization/').type('form').send({ client_id: 'sample-cli' }));
    expectTemporarilyUnavailable(await pollToken(testApp, pending.device_code));
    expectTemporarilyUnavailable(await refresh(testApp, login.refresh_token));
    expectTemporarilyUnavailable(
      await http().post('/o/revoke/').type('form').send({ token: login.refresh_token, client_id: 'sample-cli' }),
    );
    expectTemporarilyUnavailable(await browser.post('/o/personal-access-tokens').send({ name: 'read-only', scopes: ['user:read'] }));

    // Reads need no write: the guard, userinfo and introspection still answer.
    await http().get('/api/v1/token').set('Authorization', `Bearer ${login.access_token}`).expect(200);
    await http().get('/o/userinfo/').set('Authorization', `Bearer ${login.access_token}`).expect(200);
    const introspected = await http()
      .post('/o/introspect/')
      .set('Authorization', basicAuth(resourceServer.id, resourceServer.secret))
      .type('form')
      .send({ token: login.access_token })
      .expect(200);
    expect(introspected.body.active).toBe(true);

    // The confirm page is a read; clicking Approve is the write that cannot happen now.
    const confirm = await browser.get('/oauth/device').query({ user_code: pending.user_code }).expect(200);
    expectUnavailablePage(
      await browser
        .post('/oauth/device')
        .type('form')
        .send({ user_code: pending.user_code, csrf_token: csrfTokenOf(confirm.text), action: 'approve' }),
    );
    const tokensPage = await browser.get('/settings/tokens').expect(200);
    expectUnavailablePage(
      await browser
        .post('/settings/tokens')
        .type('form')
        .send({ csrf_token: csrfTokenOf(tokensPage.text), action: 'create', name: 'read-only', scopes: 'user:read' }),
    );

    await setReadOnly(false);

    await decideInBrowser(browser, pending.user_code, 'approve');
    await pollAgain(testApp, pending).expect(200);
    await refresh(testApp, login.refresh_token).expect(200);
    await startDeviceAuthorization(testApp);
  });

  it('answers a write with 503 within its busy timeout while another connection holds the write lock', async () => {
    const login = await deviceLogin(testApp);
    // A backup, a migration script or a second instance on the same file, mid-transaction.
    const other = await new DataSource({ type: 'better-sqlite3', database: file }).initialize();
    await other.query('BEGIN IMMEDIATE');
    try {
      expectTemporarilyUnavailable(await answeredWithin(BUSY_TIMEOUT_MS + 1_500, () => refresh(testApp, login.refresh_token)));
      await http().get('/api/v1/token').set('Authorization', `Bearer ${login.access_token}`).expect(200);
    } finally {
      await other.query('ROLLBACK');
      await other.destroy();
    }
    await refresh(testApp, login.refresh_token).expect(200);
  });

  it("answers the host's own writes with 503 while the file is read-only or locked, serves its reads, and takes writes again after", async () => {
    const login = await deviceLogin(testApp, 'alice', 'sample-cli', HOST_API_SCOPES);
    const api = hostApi(testApp, login.access_token);
    await api.createListing('Before').expect(201);

    await setReadOnly(true);
    expectTemporarilyUnavailable(await api.createListing('While read-only'));
    await api.me().expect(200);
    await api.listings().expect(200);
    await setReadOnly(false);

    const other = await new DataSource({ type: 'better-sqlite3', database: file }).initialize();
    await other.query('BEGIN IMMEDIATE');
    try {
      expectTemporarilyUnavailable(await answeredWithin(BUSY_TIMEOUT_MS + 1_500, () => api.createListing('While locked')));
      await api.me().expect(200);
    } finally {
      await other.query('ROLLBACK');
      await other.destroy();
    }

    await api.createListing('After').expect(201);
    // Neither 503 wrote anything.
    expect((await api.listingTitles()).sort()).toEqual(['After', 'Before']);
  });

  it('lets the CLI kit poll through the outage and sign in once the database takes writes again', async () => {
    const log: KitRequest[] = [];
    const prompts: DevicePrompt[] = [];
    const clock = clockSleep(testApp, {
      afterSleep: async (call) => {
        if (call === 1) await setReadOnly(true);
        if (call === 3) {
          await setReadOnly(false);
          await decideInBrowser(await signedInBrowser(testApp, 'alice'), prompts[0].userCode, 'approve');
        }
      },
    });
    const result = await cliDeviceLogin({
      issuer: ISSUER,
      clientId: 'sample-cli',
      onPrompt: (prompt) => void prompts.push(prompt),
      sleep: clock.sleep,
      fetch: kitFetch(await listenForKit(testApp), log),
      now: () => testApp.clock.now(),
    });

    expect(tokenRequests(log, DEVICE_GRANT).map((poll) => [poll.status, poll.error])).toEqual([
      [503, 'temporarily_unavailable'],
      [503, 'temporarily_unavailable'],
      [200, undefined],
    ]);
    await http().get('/api/v1/token').set('Authorization', `Bearer ${result.accessToken}`).expect(200);
  });
});

import request from 'supertest';
import { basicAuth } from './support/oauth-responses';
import { answeredWithin, BROWSER_ACCEPT, expectTemporarilyUnavailable, expectUnavailablePage } from './support/outage';
import {
  decideInBrowser,
  deviceLogin,
  pollAgain,
  refresh,
  signedInBrowser,
  startDeviceAuthorization,
  pollToken,
  openLoginForm,
  PASSWORDS,
} from './support/device-flow';
import { HOST_API_SCOPES, hostApi } from './support/host-routes';
import { registerResourceServer } from './support/resource-server';
import { TcpProxy } from './support/tcp-proxy';
import { PASSPORT_PROBE_PATH, PassportProbeModule } from './support/passport-probe';
import { httpPlatformFromEnv } from '../../sample-app/create-app';
import { bootTestApp, TestApp, usesPostgres } from './support/test-app';

/** The app's connect and query timeouts here: short, so an outage answers in about a second. */
const TIMEOUTS = { connectMs: 1_000, queryMs: 1_000 };
/**
 * What "bounded" means for one request during an outage: its timeouts (1 s to connect; 1 s for
 * the server to cancel a query, 2 s for the client to give up on a silent network), with room
 * for a busy CI machine.
 */
const BOUND_MS = 5_000;
/** How many clients call each host route at once during an outage (the report that found the 500s sent 48 requests). */
const CONCURRENT_CALLS = 4;

// The outage is a TCP proxy cut between the app and PostgreSQL; on SQLite there is no network to
// cut (database-outage.sqlite.e2e.spec.ts stages SQLite's outages: a read-only file, a held lock).
const describeOnPostgres = usesPostgres() ? describe : describe.skip;

/** The passport strategy answers like the guard; passport runs on Express only. */
const onExpress = httpPlatformFromEnv() === 'express';
const passportProbe = onExpress ? [PassportProbeModule] : [];

describeOnPostgres('PostgreSQL unreachable: 503s that say "retry", then service resumes by itself', () => {
  jest.setTimeout(30_000);
  let proxy: TcpProxy;
  let testApp: TestApp;
  beforeAll(async () => {
    proxy = await TcpProxy.start(process.env.DATABASE_URL as string);
    testApp = await bootTestApp({ databaseUrl: (url) => proxy.url(url), databaseTimeouts: TIMEOUTS, imports: passportProbe });
  });
  afterEach(() => proxy.restore());
  afterAll(async () => {
    await testApp?.close();
    await proxy?.close();
  });

  const http = () => request(testApp.http);
  const tokenInfo = (accessToken: string) => http().get('/api/v1/token').set('Authorization', `Bearer ${accessToken}`);

  it('answers every machine endpoint, the guard and the pages with 503 while the connection is cut', async () => {
    const presented = await deviceLogin(testApp, 'alice', 'sample-cli', 'openid user:read');
    await tokenInfo(presented.access_token).expect(200);
    // Same grant, so its revocation state is cached; its signature has not been checked yet.
    const sameGrant = (await refresh(testApp, presented.refresh_token).expect(200)).body;
    const neverPresented = await deviceLogin(testApp, 'alice', 'sample-cli', 'openid user:read');
    const browser = await signedInBrowser(testApp, 'alice');
    const pat = (
      await browser
        .post('/o/personal-access-tokens')
        .send({ name: 'outage', scopes: ['user:read'] })
        .expect(201)
    ).body.token;
    await tokenInfo(pat).expect(200);
    const pending = await startDeviceAuthorization(testApp);
    const resourceServer = await registerResourceServer(testApp);

    await proxy.cut();

    const machineCalls: [string, () => request.Test][] = [
      ['device authorization', () => http().post('/o/device-authorization/').type('form').send({ client_id: 'sample-cli' })],
      ['device code poll', () => pollToken(testApp, pending.device_code)],
      ['refresh', () => refresh(testApp, sameGrant.refresh_token)],
      ['revoke', () => http().post('/o/revoke/').type('form').send({ token: sameGrant.refresh_token, client_id: 'sample-cli' })],
      [
        'introspect',
        () =>
          http()
            .post('/o/introspect/')
            .set('Authorization', basicAuth(resourceServer.id, resourceServer.secret))
            .type('form')
            .send({ token: neverPresented.access_token }),
      ],
      ['PAT API', () => browser.get('/o/personal-access-tokens')],
      ['userinfo', () => http().get('/o/userinfo/').set('Authorization', `Bearer ${neverPresented.access_token}`)],
      // The guard must look the grant up to know it is not revoked: it cannot, so 503, never 401.
      ['guarded route', () => tokenInfo(neverPresented.access_token)],
    ];
    if (onExpress) {
      machineCalls.push([
        'passport route',
        () => http().get(PASSPORT_PROBE_PATH).set('Authorization', `Bearer ${neverPresented.access_token}`),
      ]);
    }
    for (const [name, call] of machineCalls) {
      const response = await answeredWithin(BOUND_MS, call);
      expect({ name, status: response.status }).toEqual({ name, status: 503 });
      expectTemporarilyUnavailable(response);
    }

    // What the guard has cached needs no database: verified tokens, a grant's revocation state and
    // the signing keys, even after a token with an unknown key id made the keys try to reload.
    expectTemporarilyUnavailable(await tokenInfo(withKeyId(neverPresented.access_token, 'rotated-elsewhere')));
    await tokenInfo(presented.access_token).expect(200);
    await tokenInfo(sameGrant.access_token).expect(200);
    await tokenInfo(pat).expect(200);

    expectUnavailablePage(await answeredWithin(BOUND_MS, () => browser.get('/oauth/device').query({ user_code: pending.user_code })));
    expectUnavailablePage(await answeredWithin(BOUND_MS, () => browser.get('/settings/tokens')));

    await proxy.restore();

    await decideInBrowser(browser, pending.user_code, 'approve');
    expect((await pollAgain(testApp, pending).expect(200)).body.access_token).toEqual(expect.any(String));
    const rotated = await refresh(testApp, sameGrant.refresh_token).expect(200);
    expect(rotated.body.refresh_token).not.toBe(sameGrant.refresh_token);
    await tokenInfo(neverPresented.access_token).expect(200);
    await startDeviceAuthorization(testApp);
  });

  it('answers within its timeouts when the network swallows every packet, and resumes when it is back', async () => {
    const login = await deviceLogin(testApp);
    const browser = await signedInBrowser(testApp, 'alice');
    const pending = await startDeviceAuthorization(testApp);

    proxy.stall();

    expectTemporarilyUnavailable(
      await answeredWithin(BOUND_MS, () => http().post('/o/device-authorization/').type('form').send({ client_id: 'sample-cli' })),
    );
    expectTemporarilyUnavailable(await answeredWithin(BOUND_MS, () => refresh(testApp, login.refresh_token)));
    expectUnavailablePage(await answeredWithin(BOUND_MS, () => browser.get('/oauth/device').query({ user_code: pending.user_code })));

    await proxy.restore();

    // Connections that lived through the stall are reset by the restore; the pool notices and
    // drops them on its own, so at most a request or two still meets one (a 503, never a 500).
    const first = await untilNotUnavailable(() => http().post('/o/device-authorization/').type('form').send({ client_id: 'sample-cli' }));
    expect(first.status).toBe(200);
    await decideInBrowser(browser, pending.user_code, 'approve');
    expect((await pollAgain(testApp, pending).expect(200)).body.access_token).toEqual(expect.any(String));
    await refresh(testApp, login.refresh_token).expect(200);
  });

  /**
   * The host's own routes (not the module's): the guard passes the token from its caches, so the
   * outage meets the host's own query, which DatabaseOutageFilter answers.
   */
  async function expectEveryHostCallUnavailable(calls: [string, () => request.Test][]): Promise<void> {
    for (const [name, call] of calls) {
      const responses = await Promise.all(Array.from({ length: CONCURRENT_CALLS }, () => answeredWithin(BOUND_MS, call)));
      expect({ name, statuses: responses.map((response) => response.status) }).toEqual({
        name,
        statuses: Array.from({ length: CONCURRENT_CALLS }, () => 503),
      });
      responses.forEach(expectTemporarilyUnavailable);
    }
  }

  it("answers the host's own routes with 503 and Retry-After, never 500, while the connection is cut, and serves them again after", async () => {
    const login = await deviceLogin(testApp, 'alice', 'sample-cli', HOST_API_SCOPES);
    const api = hostApi(testApp, login.access_token);
    const browser = await signedInBrowser(testApp, 'alice');
    // Each route once before the cut, so the guard holds this grant's revocation state.
    await api.me().expect(200);
    await api.createListing('Before the outage').expect(201);
    await api.listings().expect(200);
    await browser.get('/').set('Accept', BROWSER_ACCEPT).expect(200);
    // A signed-out browser's sign-in form, opened before the cut (the page needs no database) and posted during it.
    const loginForm = await openLoginForm(testApp);

    await proxy.cut();

    // The guard lets the token through without the database; the host's query is what fails.
    await tokenInfo(login.access_token).expect(200);
    await expectEveryHostCallUnavailable([
      ['GET /api/v1/me', api.me],
      ['GET /api/v1/listings', api.listings],
      ['POST /api/v1/listings', () => api.createListing('During the outage')],
    ]);
    // A browser on a host page gets the module's outage page; a script on the same page gets JSON.
    expectUnavailablePage(await answeredWithin(BOUND_MS, () => browser.get('/').set('Accept', BROWSER_ACCEPT)));
    expectUnavailablePage(
      await answeredWithin(BOUND_MS, () =>
        request(testApp.http)
          .post('/login')
          .set('Accept', BROWSER_ACCEPT)
          .set('Cookie', loginForm.cookie)
          .type('form')
          .send({ csrf_token: loginForm.csrfToken, username: 'alice', password: PASSWORDS.alice, next: '/' }),
      ),
    );
    expectTemporarilyUnavailable(await answeredWithin(BOUND_MS, () => browser.get('/').set('Accept', 'application/json')));

    await proxy.restore();

    expect((await api.me().expect(200)).body.username).toBe('alice');
    await api.createListing('After the outage').expect(201);
    // A 503 wrote nothing: retrying it cannot make a duplicate. (The test clock stood still: no order by time.)
    expect((await api.listingTitles()).sort()).toEqual(['After the outage', 'Before the outage']);
    await browser.get('/').set('Accept', BROWSER_ACCEPT).expect(200);
  });

  it("answers the host's own routes within its timeouts when the network swallows every packet, and serves them again after", async () => {
    const login = await deviceLogin(testApp, 'alice', 'sample-cli', HOST_API_SCOPES);
    const api = hostApi(testApp, login.access_token);
    const browser = await signedInBrowser(testApp, 'alice');
    await api.me().expect(200);
    await browser.get('/').set('Accept', BROWSER_ACCEPT).expect(200);

    proxy.stall();

    await expectEveryHostCallUnavailable([
      ['GET /api/v1/me', api.me],
      ['GET /api/v1/listings', api.listings],
      ['POST /api/v1/listings', () => api.createListing('During the stall')],
    ]);
    expectUnavailablePage(await answeredWithin(BOUND_MS, () => browser.get('/').set('Accept', BROWSER_ACCEPT)));

    await proxy.restore();

    expect((await untilNotUnavailable(api.me)).status).toBe(200);
    await api.listings().expect(200);
    await api.createListing('After the stall').expect(201);
    await browser.get('/').set('Accept', BROWSER_ACCEPT).expect(200);
  });
});

/** Retries while the answer is a 503, a few times: the pool discarding dead connections is a real event, not a clock. */
async function untilNotUnavailable(send: () => PromiseLike<request.Response>, attempts = 5): Promise<request.Response> {
  for (let attempt = 1; ; attempt++) {
    const response = await send();
    if (response.status !== 503 || attempt === attempts) return response;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The JWT with another `kid` in its header (its signature no longer matches, which only a key could tell). */
function withKeyId(jwt: string, kid: string): string {
  const [header, ...rest] = jwt.split('.');
  const decoded = JSON.parse(Buffer.from(header, 'base64url').toString()) as Record<string, unknown>;
  return [Buffer.from(JSON.stringify({ ...decoded, kid })).toString('base64url'), ...rest].join('.');
}

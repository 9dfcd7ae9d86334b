import { Logger } from '@nestjs/common';
import request from 'supertest';
import { deviceLogin, PASSWORDS } from './support/device-flow';
import { ERROR_PROBE_PATH, ErrorProbeModule } from './support/error-probe';
import { HOST_API_SCOPES } from './support/host-routes';
import { BROWSER_ACCEPT, expectTemporarilyUnavailable, expectUnavailablePage } from './support/outage';
import { useTestApp } from './support/test-app';

/** Over the 100 KB body limit the sample app sets on Express and Fastify alike. */
const TOO_LARGE = 'p'.repeat(100 * 1024);

// The sample app applies DatabaseOutageFilter app-wide. database-outage.postgres and .sqlite stage
// real outages under the host's routes; this suite shows what the filter answers for an outage met
// elsewhere in the host's code, and that every other error keeps the answer it had without it.
describe("DatabaseOutageFilter on the host's routes: an outage is a 503, every other error keeps its answer", () => {
  const testApp = useTestApp({ imports: [ErrorProbeModule] });
  const http = () => request(testApp.http);
  const probe = (name: string) => http().get(`${ERROR_PROBE_PATH}/${name}`);
  /** Nest's own handler logs what it answers with a 500; silenced here, and counted. */
  let logged: jest.SpyInstance;
  beforeEach(() => {
    logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => logged.mockRestore());

  it.each([
    ['a host guard', 'guarded'],
    ['a host middleware', 'behind-middleware'],
  ])('answers an outage met in %s with 503: JSON for a script, the outage page for a browser', async (_, name) => {
    for (const accept of [undefined, '*/*', 'application/json', 'application/json, text/html;q=0.5']) {
      const call = probe(name);
      expectTemporarilyUnavailable(await (accept === undefined ? call : call.set('Accept', accept)));
    }
    for (const accept of [BROWSER_ACCEPT, 'text/html', 'text/html, application/json;q=0.9']) {
      expectUnavailablePage(await probe(name).set('Accept', accept));
    }
    expect(logged).not.toHaveBeenCalled();
  });

  it.each([
    ['a bug', 'bug'],
    ['a database error that is no outage (a missing table)', 'missing-table'],
  ])("leaves %s to Nest's own answer: a logged 500, for a script and a browser alike", async (_, name) => {
    for (const accept of ['application/json', BROWSER_ACCEPT]) {
      const response = await probe(name).set('Accept', accept);
      expect({ status: response.status, body: response.body }).toEqual({
        status: 500,
        body: { statusCode: 500, message: 'Internal server error' },
      });
      expect(response.headers['retry-after']).toBeUndefined();
    }
    expect(logged).toHaveBeenCalledTimes(2);
  });

  it('leaves an answer the host chose alone, even when an outage caused it', async () => {
    const response = await probe('chosen-status');
    expect({ status: response.status, body: response.body }).toEqual({
      status: 500,
      body: { statusCode: 500, message: 'the host chose this', error: 'Internal Server Error' },
    });
    expect(response.headers['retry-after']).toBeUndefined();
  });

  it("keeps the host's refusals, the guard's and the module's as they were", async () => {
    const login = await deviceLogin(testApp, 'alice', 'sample-cli', HOST_API_SCOPES);
    const invalid = await http()
      .post('/api/v1/listings')
      .set('Authorization', `Bearer ${login.access_token}`)
      .send({ title: '', priceCents: -1 });
    expect({ status: invalid.status, body: invalid.body }).toEqual({
      status: 400,
      body: { statusCode: 400, error: 'Bad Request', message: expect.arrayContaining([expect.any(String)]) },
    });
    const unknown = await http().get('/api/v1/nowhere');
    expect({ status: unknown.status, body: unknown.body }).toEqual({
      status: 404,
      body: { statusCode: 404, error: 'Not Found', message: 'Cannot GET /api/v1/nowhere' },
    });
    const unauthenticated = await http().get('/api/v1/me');
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers['www-authenticate']).toMatch(/^Bearer realm="/);

    // Bodies the platform refuses before routing still reach the filters asked after this one:
    // the host's sign-in page, and the module's RFC 6749 answer on its own endpoints.
    const signIn = await http()
      .post('/login')
      .set('Accept', BROWSER_ACCEPT)
      .type('form')
      .send({ username: 'alice', password: PASSWORDS.alice, padding: TOO_LARGE });
    expect({ status: signIn.status, type: signIn.type }).toEqual({ status: 413, type: 'text/html' });
    expect(signIn.text).toContain('The form could not be read.');
    const token = await http().post('/o/token/').type('form').send({ grant_type: 'refresh_token', padding: TOO_LARGE });
    expect({ status: token.status, error: token.body.error }).toEqual({ status: 413, error: 'invalid_request' });
    expect(logged).not.toHaveBeenCalled();
  });
});

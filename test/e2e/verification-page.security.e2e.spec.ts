import request from 'supertest';
import { csrfTokenOf, decideInBrowser, PASSWORDS, signedInBrowser, startDeviceAuthorization, submitLoginForm } from './support/device-flow';
import { useTestApp } from './support/test-app';
import {
  expectPageSecurityHeaders,
  expectStillPending,
  headingOf,
  openCode,
  startWithUserAgent,
  submit,
  VERIFICATION_PATH,
} from './support/verification-page';
import { present } from './support/present';

// Wrong user codes are counted per user and per IP, and these tests all come from one address:
// each describe therefore boots an app of its own and stays under 10 wrong guesses.

describe('verification page: security headers and cookies', () => {
  const testApp = useTestApp();

  const pages: [string, () => Promise<request.Response>][] = [
    [
      'the redirect of a signed-out visitor (GET)',
      async () => request(testApp.http).get(VERIFICATION_PATH).query({ user_code: 'BCDF-GHJK' }).expect(303),
    ],
    [
      'the redirect of a signed-out visitor (POST)',
      async () => submit(request.agent(testApp.http), { user_code: 'BCDF-GHJK', csrf_token: 'x', action: 'approve' }).expect(303),
    ],
    ['the code entry form', async () => (await signedInBrowser(testApp, 'alice')).get(VERIFICATION_PATH).expect(200)],
    [
      'the confirm page',
      async () => openCode(await signedInBrowser(testApp, 'alice'), (await startDeviceAuthorization(testApp)).user_code).expect(200),
    ],
    ['the invalid-code page', async () => openCode(await signedInBrowser(testApp, 'alice'), 'ZZZZ-ZZZZ').expect(400)],
    [
      'the wrong-account page',
      async () => openCode(await signedInBrowser(testApp, 'bob'), (await startDeviceAuthorization(testApp)).user_code).expect(403),
    ],
    [
      'the malformed-request page (GET)',
      async () => (await signedInBrowser(testApp, 'alice')).get(`${VERIFICATION_PATH}?user_code=A&user_code=B`).expect(400),
    ],
    [
      'the incomplete-form page (POST)',
      async () => submit(await signedInBrowser(testApp, 'alice'), { user_code: 'BCDF-GHJK' }).expect(400),
    ],
    [
      'the refused-CSRF page (POST)',
      async () =>
        submit(await signedInBrowser(testApp, 'alice'), {
          user_code: (await startDeviceAuthorization(testApp)).user_code,
          action: 'approve',
        }).expect(403),
    ],
    [
      'the approved page (POST)',
      async () => decideInBrowser(await signedInBrowser(testApp, 'alice'), (await startDeviceAuthorization(testApp)).user_code, 'approve'),
    ],
    [
      'the denied page (POST)',
      async () => decideInBrowser(await signedInBrowser(testApp, 'alice'), (await startDeviceAuthorization(testApp)).user_code, 'deny'),
    ],
  ];

  it.each(pages)('%s is not framable, not cached and sends no Referer', async (_, page) => {
    expectPageSecurityHeaders(await page());
  });

  it('sets the login session cookie HttpOnly and SameSite=Lax', async () => {
    const response = await submitLoginForm(request.agent(testApp.http), {
      username: 'alice',
      password: PASSWORDS.alice,
      next: VERIFICATION_PATH,
    });
    expect(response.status).toBe(303);
    const cookies = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
    const session = cookies.find((cookie) => cookie.startsWith('sid='));
    expect(session).toBeDefined();
    const attributes = present(session, 'a session cookie')
      .split(';')
      .map((part) => part.trim().toLowerCase());
    expect(attributes).toContain('httponly');
    expect(attributes).toContain('samesite=lax');
  });
});

describe('verification page: escaping', () => {
  const testApp = useTestApp();
  const SCRIPT = '<script>alert("x")</script>';

  it('never echoes a typed code as HTML', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const page = await openCode(alice, SCRIPT).expect(400);
    expect(page.text).not.toContain('<script');
    const attribute = await openCode(alice, `"><img src=x onerror=alert(1)>`).expect(400);
    expect(attribute.text).not.toContain('<img');

    const signedOut = await request(testApp.http).get(VERIFICATION_PATH).query({ user_code: SCRIPT }).expect(303);
    expect(signedOut.headers.location).not.toMatch(/[<>"]/);
  });

  it('escapes the user agent the device sent', async () => {
    const start = await startWithUserAgent(testApp, `evil"><script>alert('ua')</script>`);
    const page = await openCode(await signedInBrowser(testApp, 'alice'), start.user_code).expect(200);
    expect(page.text).not.toContain('<script');
    expect(page.text).toContain('using evil&quot;&gt;&lt;script&gt;alert(&#39;ua&#39;)&lt;/script&gt;.');
  });
});

describe('verification page: malformed form fields', () => {
  const testApp = useTestApp();

  it('answers a form the platform refuses to read (another charset) with a page that leads home', async () => {
    const page = await (
      await signedInBrowser(testApp, 'alice')
    )
      .post(VERIFICATION_PATH)
      .set('Content-Type', 'application/x-www-form-urlencoded; charset=koi8-r')
      .send('user_code=BCDF-GHJK&action=approve');
    expect(page.status).toBeGreaterThanOrEqual(400);
    expect(page.status).toBeLessThan(500);
    expect(page.type).toBe('text/html');
    expect(headingOf(page.text)).toBe('Something went wrong');
    expect(page.text).toContain('<a href="/">Go to the home page</a>');
  });

  it.each([
    ['user_code as an array', 'user_code[]=BCDF-GHJK'],
    ['user_code as an object', 'user_code[a]=BCDF-GHJK'],
    ['user_code twice', 'user_code=BCDF-GHJK&user_code=BCDF-GHJK'],
  ])('answers a GET with %s with a 400 page', async (_, query) => {
    const page = await (await signedInBrowser(testApp, 'alice')).get(`${VERIFICATION_PATH}?${query}`).expect(400);
    expect(page.type).toBe('text/html');
    expectPageSecurityHeaders(page);
    expect(page.text).toContain('<a href="/oauth/device">Enter a code</a>');
    expect(page.text).toContain('<a href="/">Go to the home page</a>');
  });

  it.each<[string, (code: string, token: string) => string | object]>([
    ['user_code as an array', (code, token) => `user_code[]=${code}&csrf_token=${token}&action=approve`],
    ['user_code as an object', (code, token) => `user_code[a]=${code}&csrf_token=${token}&action=approve`],
    ['user_code twice', (code, token) => `user_code=${code}&user_code=${code}&csrf_token=${token}&action=approve`],
    ['csrf_token as an array', (code, token) => `user_code=${code}&csrf_token[]=${token}&action=approve`],
    ['csrf_token as an object', (code, token) => `user_code=${code}&csrf_token[a]=${token}&action=approve`],
    ['action as an array', (code, token) => `user_code=${code}&csrf_token=${token}&action[]=approve`],
    ['an unknown action', (code, token) => `user_code=${code}&csrf_token=${token}&action=allow`],
    ['an action named after an Object.prototype member', (code, token) => `user_code=${code}&csrf_token=${token}&action=constructor`],
    ['the action __proto__', (code, token) => `user_code=${code}&csrf_token=${token}&action=__proto__`],
    ['a JSON body with an object user_code', (code, token) => ({ user_code: { code }, csrf_token: token, action: 'approve' })],
  ])('answers a POST with %s with a 4xx page and approves nothing', async (_, body) => {
    const start = await startDeviceAuthorization(testApp);
    const alice = await signedInBrowser(testApp, 'alice');
    const token = csrfTokenOf((await openCode(alice, start.user_code).expect(200)).text);
    const payload = body(start.user_code, token);

    const post = alice.post(VERIFICATION_PATH);
    const response = await (typeof payload === 'string' ? post.type('form').send(payload) : post.send(payload));
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.type).toBe('text/html');
    expectPageSecurityHeaders(response);
    await expectStillPending(testApp, start);
  });
});

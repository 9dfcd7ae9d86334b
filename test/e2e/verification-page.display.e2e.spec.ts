import request from 'supertest';
import { csrfTokenOf, PASSWORDS, signedInBrowser, startDeviceAuthorization } from './support/device-flow';
import { useTestApp } from './support/test-app';
import {
  errorMessageOf,
  expectStillPending,
  headingOf,
  openCode,
  startWithUserAgent,
  submit,
  VERIFICATION_PATH,
} from './support/verification-page';

// Wrong user codes are counted per user and per IP, and these tests all come from one address:
// each describe therefore boots an app of its own and stays under 10 wrong guesses.

/** A time as the pages show it: hours and minutes of this server's clock, with its zone. */
const clockTime = (epochMillis: number, language = 'en'): string =>
  new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' }).format(epochMillis);

describe('verification page: a signed-out visitor', () => {
  const testApp = useTestApp();

  it('is sent to the login page (303) with a return path to the same code', async () => {
    const start = await startDeviceAuthorization(testApp);
    const response = await request(testApp.http).get(VERIFICATION_PATH).query({ user_code: start.user_code }).expect(303);
    const location = new URL(response.headers.location, 'http://localhost');
    expect(location.pathname).toBe('/login');
    expect(location.searchParams.get('next')).toBe(`/oauth/device?user_code=${start.user_code}`);
  });

  it('lands back on the confirm page of the same code after logging in', async () => {
    const start = await startDeviceAuthorization(testApp);
    const browser = request.agent(testApp.http);

    const toLogin = await browser.get(VERIFICATION_PATH).query({ user_code: start.user_code }).expect(303);
    const loginPage = await browser.get(toLogin.headers.location).expect(200);
    const next = /name="next" value="([^"]*)"/.exec(loginPage.text)?.[1];
    expect(next).toBe(`/oauth/device?user_code=${start.user_code}`);

    const loggedIn = await browser
      .post('/login')
      .type('form')
      .send({ csrf_token: csrfTokenOf(loginPage.text), username: 'alice', password: PASSWORDS.alice, next })
      .expect(303);
    expect(loggedIn.headers.location).toBe(`/oauth/device?user_code=${start.user_code}`);

    const confirm = await browser.get(loggedIn.headers.location).expect(200);
    expect(headingOf(confirm.text)).toBe('Allow Sample CLI to access your account?');
    expect(confirm.text).toContain(`<p class="code">${start.user_code}</p>`);
  });

  it('cannot approve: a signed-out POST is sent to log in and the request stays pending', async () => {
    const start = await startDeviceAuthorization(testApp);
    const alicesPage = await openCode(await signedInBrowser(testApp, 'alice'), start.user_code).expect(200);
    const response = await submit(request.agent(testApp.http), {
      user_code: start.user_code,
      csrf_token: csrfTokenOf(alicesPage.text),
      action: 'approve',
    }).expect(303);
    expect(new URL(response.headers.location, 'http://localhost').pathname).toBe('/login');
    await expectStillPending(testApp, start);
  });
});

describe('verification page: what a signed-in user sees', () => {
  const testApp = useTestApp();

  it('shows the code entry form when no code is given', async () => {
    const page = await (await signedInBrowser(testApp, 'alice')).get(VERIFICATION_PATH).expect(200);
    expect(headingOf(page.text)).toBe('Connect a device');
    expect(page.text).toContain('Signed in as Alice');
    expect(page.text).toContain('<form method="get" action="/oauth/device">');
    expect(page.text).toContain('name="user_code"');
    expect(page.text).not.toContain('name="action"');
    expect(errorMessageOf(page.text)).toBeNull();
  });

  it('shows the app name, each requested scope with its description, the formatted code, and the IP and user agent it came from', async () => {
    const start = await startWithUserAgent(testApp, 'sample-cli/1.2 (linux; x64)', {
      client_id: 'sample-cli',
      scope: 'user:read listings:read',
    });
    const page = await openCode(await signedInBrowser(testApp, 'alice'), start.user_code.toLowerCase().replace('-', '')).expect(200);

    expect(headingOf(page.text)).toBe('Allow Sample CLI to access your account?');
    expect(page.text).toContain('<li><code>user:read</code>: Read your profile</li>');
    expect(page.text).toContain('<li><code>listings:read</code>: Read your listings</li>');
    expect(page.text).not.toContain('listings:write'); // only what this request asked for
    expect(start.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(page.text).toContain(`<p class="code">${start.user_code}</p>`);
    expect(page.text).toMatch(/Requested just now from (::ffff:)?127\.0\.0\.1 using sample-cli 1\.2\./);
    expect(page.text).toContain('<button type="submit" name="action" value="approve">Approve</button>');
    expect(page.text).toContain('<button type="submit" name="action" value="deny" class="secondary">Deny</button>');
  });

  it.each([
    ['a CLI built on the client kit, by its first product', 'acme-cli/1.4.0 nest-device-auth/0.1.0 node/22.11.0 linux', 'acme-cli 1.4.0'],
    ['curl, by its name and version', 'curl/8.5.0', 'curl 8.5.0'],
    ['a bare product name as it is', 'node', 'node'],
    [
      'a browser by its whole User-Agent',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
    ],
  ])('names %s', async (_, userAgent, shown) => {
    const start = await startWithUserAgent(testApp, userAgent);
    const page = await openCode(await signedInBrowser(testApp, 'alice'), start.user_code).expect(200);
    expect(/Requested just now from \S+ using (.*?)\.\n/.exec(page.text)?.[1]).toBe(shown);
  });

  it('says when the request expires: the time and the minutes left, counting down', async () => {
    const start = await startDeviceAuthorization(testApp);
    const alice = await signedInBrowser(testApp, 'alice');
    const expiry = async () =>
      /This request expires at (.*?) \((.*?)\)\./.exec((await openCode(alice, start.user_code).expect(200)).text)?.slice(1);
    const at = clockTime(testApp.clock.now() + start.expires_in * 1000);

    expect(await expiry()).toEqual([at, 'in 15 minutes']);
    testApp.clock.advance(3 * 60 + 1);
    expect(await expiry()).toEqual([at, 'in 11 minutes']);
    testApp.clock.advance(11 * 60);
    expect(await expiry()).toEqual([at, 'in less than a minute']);
  });

  it('tells the age of the request: "just now", then "N minutes ago" as time passes', async () => {
    const start = await startDeviceAuthorization(testApp);
    const alice = await signedInBrowser(testApp, 'alice');
    const age = async () => /Requested (.*?) from /.exec((await openCode(alice, start.user_code).expect(200)).text)?.[1];

    expect(await age()).toBe('just now');
    testApp.clock.advance(59);
    expect(await age()).toBe('just now');
    testApp.clock.advance(1);
    expect(await age()).toBe('1 minute ago');
    testApp.clock.advance(6 * 60);
    expect(await age()).toBe('7 minutes ago');
  });
});

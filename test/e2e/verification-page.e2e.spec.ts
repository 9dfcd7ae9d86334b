import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import {
  csrfTokenOf,
  decideInBrowser,
  DeviceStart,
  PASSWORDS,
  pollAgain,
  signedInBrowser,
  startDeviceAuthorization,
  submitLoginForm,
} from './support/device-flow';
import { listenDualStack, TestApp, useTestApp } from './support/test-app';
import {
  assignUserCode,
  errorMessageOf,
  expectPageSecurityHeaders,
  headingOf,
  openCode,
  pathOf,
  VERIFICATION_PATH,
} from './support/verification-page';
import { present } from './support/present';

// Wrong user codes are counted per user and per IP, and these tests all come from one address:
// each describe therefore boots an app of its own and stays under 10 wrong guesses.

/** Submits the confirm form as a browser would, with whatever CSRF token the test chooses. */
const submit = (browser: TestAgent, form: Record<string, string | undefined>) =>
  browser
    .post(VERIFICATION_PATH)
    .type('form')
    .send(Object.fromEntries(Object.entries(form).filter(([, value]) => value !== undefined)));

/** A time as the pages show it: hours and minutes of this server's clock, with its zone. */
const clockTime = (epochMillis: number, language = 'en'): string =>
  new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' }).format(epochMillis);

/** A device authorization as a CLI with this User-Agent starts it. */
async function startWithUserAgent(
  testApp: TestApp,
  userAgent: string,
  form: Record<string, string> = { client_id: 'sample-cli' },
): Promise<DeviceStart> {
  const response = await request(testApp.http)
    .post('/o/device-authorization/')
    .set('User-Agent', userAgent)
    .type('form')
    .send(form)
    .expect(200);
  return response.body as DeviceStart;
}

async function expectStillPending(testApp: TestApp, start: DeviceStart, clientId = 'sample-cli'): Promise<void> {
  const poll = await pollAgain(testApp, start, clientId).expect(400);
  expect(poll.body.error).toBe('authorization_pending');
}

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

describe('verification page: how a typed code is read', () => {
  const testApp = useTestApp();

  it.each<[string, (code: string) => string]>([
    ['in lower case', (code) => code.toLowerCase()],
    ['without the dash', (code) => code.replace('-', '')],
    ['with a space instead of the dash', (code) => code.replace('-', ' ')],
    ['with spaces around and inside it', (code) => `  ${code.slice(0, 2)} ${code.slice(2, 7)} ${code.slice(7)}  `],
    ['in lower case, without the dash, with spaces', (code) => ` ${code.toLowerCase().replace('-', '  ')} `],
    ['with an en dash (U+2013)', (code) => code.replace('-', '\u2013')],
    ['with an em dash (U+2014)', (code) => code.replace('-', '\u2014')],
    ['with a hyphen (U+2010)', (code) => code.replace('-', '\u2010')],
    ['with a non-breaking hyphen (U+2011)', (code) => code.replace('-', '\u2011')],
    ['with a minus sign (U+2212)', (code) => code.replace('-', '\u2212')],
    ['with a dot', (code) => code.replace('-', '.')],
    ['with a no-break space (U+00A0)', (code) => code.replace('-', '\u00A0')],
    ['with an en dash between spaces', (code) => code.replace('-', ' \u2013 ')],
  ])('finds the request when the code is typed %s', async (_, typed) => {
    const start = await startDeviceAuthorization(testApp);
    const page = await openCode(await signedInBrowser(testApp, 'alice'), typed(start.user_code)).expect(200);
    expect(headingOf(page.text)).toBe('Allow Sample CLI to access your account?');
    expect(page.text).toContain(`<p class="code">${start.user_code}</p>`);
    expect(page.text).toContain(`<input type="hidden" name="user_code" value="${start.user_code}">`);
  });

  it('keeps what was typed in the field when the code is refused, to correct rather than retype', async () => {
    const page = await openCode(await signedInBrowser(testApp, 'alice'), 'bcdf_ghjk').expect(400);
    expect(errorMessageOf(page.text)).toMatch(/not valid/);
    expect(page.text).toContain('id="user_code" name="user_code" value="bcdf_ghjk"');
  });
});

describe('verification page: look-alike characters in a typed code', () => {
  const testApp = useTestApp();
  // A code with "SS" and "C", so that ß, ſ and the others would match it if the page folded them.
  const CODE = 'SSBC-DFGH';
  let start: DeviceStart;
  let alice: TestAgent;
  let genericMessage: string | null;

  beforeAll(async () => {
    start = await startDeviceAuthorization(testApp);
    await assignUserCode(testApp, start.device_code, CODE);
    alice = await signedInBrowser(testApp, 'alice');
    genericMessage = errorMessageOf((await openCode(alice, 'ZZZZ-ZZZZ').expect(400)).text);
  });

  it('finds the request when its code is typed in plain ASCII', async () => {
    const page = await openCode(alice, 'ssbc dfgh').expect(200);
    expect(page.text).toContain(`<p class="code">${CODE}</p>`);
  });

  it.each([
    ['full-width letters', 'ＳＳＢＣ-ＤＦＧＨ'],
    ['a single full-width letter', 'SSBC-DFGＨ'],
    ['ſ (long s, upper-cases to S)', 'ſſbc-dfgh'],
    ['ß (upper-cases to SS)', 'ßBC-DFGH'],
    ['a zero-width space (U+200B)', 'SSBC\u200B-DFGH'],
    ['a right-to-left mark (U+200F)', '\u200FSSBC-DFGH'],
    ['a zero-width joiner between the halves (U+200D)', 'SSBC\u200DDFGH'],
    ['a full-width hyphen between full-width halves', 'ＳＳＢＣ－ＤＦＧＨ'],
    ['a Cyrillic С in place of C', 'SSB\u0421-DFGH'],
  ])('refuses %s with the generic invalid-code message', async (_, typed) => {
    const page = await openCode(alice, typed).expect(400);
    expect(genericMessage).toMatch(/not valid/);
    expect(errorMessageOf(page.text)).toBe(genericMessage);
    expect(page.text).not.toContain('csrf_token');
  });

  it('leaves the request pending after all those attempts', async () => {
    await expectStillPending(testApp, start);
  });
});

describe('verification page: codes that cannot be used', () => {
  const testApp = useTestApp();
  const NOT_VALID = 'That code is not valid. Check the code on your device, or start again there to get a new one.';

  it('answers unknown codes and codes someone else used alike: 400, one generic message, the code kept in the field', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const bob = await signedInBrowser(testApp, 'bob');
    // team-cli is a partner app: bob may decide its requests too.
    const approvedByBob = await startDeviceAuthorization(testApp, 'team-cli');
    await decideInBrowser(bob, approvedByBob.user_code, 'approve');
    const deniedByBob = await startDeviceAuthorization(testApp, 'team-cli');
    await decideInBrowser(bob, deniedByBob.user_code, 'deny');
    const exchangedByBob = await startDeviceAuthorization(testApp, 'team-cli');
    await decideInBrowser(bob, exchangedByBob.user_code, 'approve');
    await pollAgain(testApp, exchangedByBob, 'team-cli').expect(200);

    for (const code of ['ZZZZ-ZZZZ', approvedByBob.user_code, deniedByBob.user_code, exchangedByBob.user_code]) {
      const page = await openCode(alice, code).expect(400);
      expect([code, headingOf(page.text), errorMessageOf(page.text)]).toEqual([code, 'Connect a device', NOT_VALID]);
      expect(page.text).toContain(`name="user_code" value="${code}"`);
      expect(page.text).toContain('<a href="/">Go to the home page</a>');
    }
  });

  it('says that an expired code expired, on opening it and on Approve, and changes nothing', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const start = await startDeviceAuthorization(testApp);
    const confirm = await openCode(alice, start.user_code).expect(200);
    testApp.clock.advance(start.expires_in);

    const opened = await openCode(alice, start.user_code).expect(400);
    expect(errorMessageOf(opened.text)).toBe('That code has expired. Start again on your device to get a new one.');
    const approved = await submit(alice, { user_code: start.user_code, csrf_token: csrfTokenOf(confirm.text), action: 'approve' }).expect(
      400,
    );
    expect(errorMessageOf(approved.text)).toBe('That code has expired. Start again on your device to get a new one.');
    expect((await pollAgain(testApp, start).expect(400)).body.error).toBe('expired_token');
  });

  it.each<[string, 'approve' | 'deny', string, string]>([
    ['approved', 'approve', 'You already approved this request', 'Sample CLI has access to your account.'],
    ['denied', 'deny', 'You already denied this request', 'Sample CLI was not given access.'],
  ])('shows the user who %s a code that answer again: Back, a reload, the link again, a second click', async (_, action, heading, text) => {
    const alice = await signedInBrowser(testApp, 'alice');
    const start = await startDeviceAuthorization(testApp);
    const confirm = await openCode(alice, start.user_code).expect(200);
    const form = { user_code: start.user_code, csrf_token: csrfTokenOf(confirm.text), action };
    await submit(alice, form).expect(200);

    for (const again of [
      await openCode(alice, start.user_code),
      await alice.get(pathOf(start.verification_uri_complete)),
      await submit(alice, form),
    ]) {
      expect(again.status).toBe(200);
      expect(headingOf(again.text)).toBe(heading);
      expect(again.text).toContain(text.replace('Sample CLI', '<strong>Sample CLI</strong>'));
    }
    // Still so once the code has expired, and once the CLI has its tokens.
    testApp.clock.advance(start.expires_in);
    expect(headingOf((await openCode(alice, start.user_code).expect(200)).text)).toBe(heading);
  });

  it('shows an approval the CLI already exchanged for tokens as approved', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const start = await startDeviceAuthorization(testApp);
    await decideInBrowser(alice, start.user_code, 'approve');
    await pollAgain(testApp, start).expect(200);
    expect(headingOf((await openCode(alice, start.user_code).expect(200)).text)).toBe('You already approved this request');
  });
});

describe('verification page: approving and denying', () => {
  const testApp = useTestApp();

  it('opening verification_uri_complete only pre-fills the code: nothing is approved without the click', async () => {
    const start = await startDeviceAuthorization(testApp);
    const alice = await signedInBrowser(testApp, 'alice');
    expect(pathOf(start.verification_uri_complete)).toBe(`/oauth/device?user_code=${start.user_code}`);

    const page = await alice.get(pathOf(start.verification_uri_complete)).expect(200);
    expect(page.text).toContain(`<input type="hidden" name="user_code" value="${start.user_code}">`);
    expect(page.text).toContain('<form method="post" action="/oauth/device">');
    await alice.get(pathOf(start.verification_uri_complete)).expect(200);

    await expectStillPending(testApp, start);
  });

  it('Approve lets the CLI’s next poll get tokens', async () => {
    const start = await startDeviceAuthorization(testApp);
    const result = await decideInBrowser(await signedInBrowser(testApp, 'alice'), start.user_code, 'approve');
    expect(headingOf(result.text)).toBe('Device connected');
    const poll = await pollAgain(testApp, start).expect(200);
    expect(poll.body.token_type).toBe('Bearer');
  });

  it('Deny makes the CLI’s next poll answer access_denied', async () => {
    const start = await startDeviceAuthorization(testApp);
    const result = await decideInBrowser(await signedInBrowser(testApp, 'alice'), start.user_code, 'deny');
    expect(headingOf(result.text)).toBe('Request denied');
    const poll = await pollAgain(testApp, start).expect(400);
    expect(poll.body.error).toBe('access_denied');
  });
});

describe('verification page: the CSRF token of approve and deny', () => {
  const testApp = useTestApp();

  it.each<[string, 'approve' | 'deny', (realToken: string) => string | undefined]>([
    ['an approval without a csrf_token', 'approve', () => undefined],
    ['an approval with an empty csrf_token', 'approve', () => ''],
    ['an approval with a made-up csrf_token', 'approve', () => 'f'.repeat(64)],
    [
      'an approval with the right token altered in one character',
      'approve',
      (real) => real.slice(0, -1) + (real.endsWith('0') ? '1' : '0'),
    ],
    ['an approval with the right token plus one character', 'approve', (real) => `${real}0`],
    ['a denial without a csrf_token', 'deny', () => undefined],
  ])('refuses %s (403) and leaves the request unchanged', async (_, action, csrfToken) => {
    const start = await startDeviceAuthorization(testApp);
    const alice = await signedInBrowser(testApp, 'alice');
    const realToken = csrfTokenOf((await openCode(alice, start.user_code).expect(200)).text);

    const refused = await submit(alice, { user_code: start.user_code, csrf_token: csrfToken(realToken), action }).expect(403);
    expect(headingOf(refused.text)).toBe('Request expired');
    await expectStillPending(testApp, start);

    // The same form with its own token still works, so only the token was wrong.
    await submit(alice, { user_code: start.user_code, csrf_token: realToken, action: 'approve' }).expect(200);
    await pollAgain(testApp, start).expect(200);
  });

  it('refuses the token of another request', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const first = await startDeviceAuthorization(testApp);
    const second = await startDeviceAuthorization(testApp);
    const firstToken = csrfTokenOf((await openCode(alice, first.user_code).expect(200)).text);
    await openCode(alice, second.user_code).expect(200);

    await submit(alice, { user_code: second.user_code, csrf_token: firstToken, action: 'approve' }).expect(403);
    await expectStillPending(testApp, second);
    await expectStillPending(testApp, first);
  });

  it('refuses the token another user got for the same request', async () => {
    // team-cli is a partner app, so both alice and bob may decide its requests.
    const start = await startDeviceAuthorization(testApp, 'team-cli');
    const alice = await signedInBrowser(testApp, 'alice');
    const bob = await signedInBrowser(testApp, 'bob');
    const bobsToken = csrfTokenOf((await openCode(bob, start.user_code).expect(200)).text);
    const alicesToken = csrfTokenOf((await openCode(alice, start.user_code).expect(200)).text);
    expect(alicesToken).not.toBe(bobsToken);

    await submit(alice, { user_code: start.user_code, csrf_token: bobsToken, action: 'approve' }).expect(403);
    await submit(bob, { user_code: start.user_code, csrf_token: alicesToken, action: 'approve' }).expect(403);
    await expectStillPending(testApp, start, 'team-cli');
  });
});

describe('verification page: personal and partner apps', () => {
  const testApp = useTestApp();

  it('refuses bob on alice’s personal app (403, saying so), leaves the request pending, and alice can still approve it', async () => {
    const start = await startDeviceAuthorization(testApp, 'sample-cli');
    const alice = await signedInBrowser(testApp, 'alice');
    const bob = await signedInBrowser(testApp, 'bob');

    const bobsView = await openCode(bob, start.user_code).expect(403);
    expectPageSecurityHeaders(bobsView);
    expect(headingOf(bobsView.text)).toBe('Wrong account');
    expect(bobsView.text).toContain(
      'You are signed in as <strong>Bob</strong>, but <strong>Sample CLI</strong> is a personal app bound to another account.',
    );
    expect(bobsView.text).not.toContain('csrf_token');
    // The sample host's logoutUrl: a POST that comes back to the same code once bob has signed out.
    expect(bobsView.text).toContain(
      `<form method="post" action="/logout?next=${encodeURIComponent(`/oauth/device?user_code=${start.user_code}`)}">`,
    );
    expect(bobsView.text).toContain('<button type="submit">Sign out and use another account</button>');
    expect(bobsView.text).toContain('<a href="/">Go to the home page</a>');

    // Even with a form token lifted from alice's page, bob's Approve is refused with the same explanation.
    const alicesToken = csrfTokenOf((await openCode(alice, start.user_code).expect(200)).text);
    const bobsApproval = await submit(bob, { user_code: start.user_code, csrf_token: alicesToken, action: 'approve' }).expect(403);
    expect(headingOf(bobsApproval.text)).toBe('Wrong account');
    await expectStillPending(testApp, start);

    await submit(alice, { user_code: start.user_code, csrf_token: alicesToken, action: 'approve' }).expect(200);
    const tokens = await pollAgain(testApp, start).expect(200);
    const me = await request(testApp.http).get('/api/v1/me').set('Authorization', `Bearer ${tokens.body.access_token}`).expect(200);
    expect(me.body.username).toBe('alice');
  });

  it('signs bob out through the sample’s logoutUrl and brings the next sign-in back to the same code, where alice approves', async () => {
    const start = await startDeviceAuthorization(testApp, 'sample-cli');
    const browser = await signedInBrowser(testApp, 'bob');
    const bobsView = await openCode(browser, start.user_code).expect(403);
    const signOut = /<form method="post" action="([^"]+)">/.exec(bobsView.text)?.[1] ?? '';

    const signedOut = await browser.post(signOut.replace(/&amp;/g, '&')).type('form').send({}).expect(303);
    expect(signedOut.headers.location).toBe(`/oauth/device?user_code=${start.user_code}`);
    const toLogin = await browser.get(signedOut.headers.location).expect(303);
    expect(new URL(toLogin.headers.location, 'http://localhost').searchParams.get('next')).toBe(
      `/oauth/device?user_code=${start.user_code}`,
    );

    const signedIn = await submitLoginForm(browser, {
      username: 'alice',
      password: PASSWORDS.alice,
      next: `/oauth/device?user_code=${start.user_code}`,
    });
    expect(signedIn.status).toBe(303);
    const confirm = await browser.get(signedIn.headers.location).expect(200);
    expect(headingOf(confirm.text)).toBe('Allow Sample CLI to access your account?');
    expect(confirm.text).toContain('Signed in as Alice');
  });

  it('lets bob approve a partner app (team-cli), and the token speaks for bob', async () => {
    const start = await startDeviceAuthorization(testApp, 'team-cli');
    const result = await decideInBrowser(await signedInBrowser(testApp, 'bob'), start.user_code, 'approve');
    expect(headingOf(result.text)).toBe('Device connected');
    const tokens = await pollAgain(testApp, start, 'team-cli').expect(200);
    const me = await request(testApp.http).get('/api/v1/me').set('Authorization', `Bearer ${tokens.body.access_token}`).expect(200);
    expect(me.body).toMatchObject({ username: 'bob', clientId: 'team-cli' });
  });
});

describe('verification page: limits on wrong codes', () => {
  const UNKNOWN_CODE = 'ZZZZ-ZZZZ';
  const guessWrong = async (browser: TestAgent, times: number) => {
    for (let i = 0; i < times; i++) await openCode(browser, UNKNOWN_CODE).expect(400);
  };

  describe('for one user', () => {
    const testApp = useTestApp();

    it('refuses even the right code (429) after 10 wrong ones, although a right code came in between', async () => {
      const start = await startDeviceAuthorization(testApp);
      const alice = await signedInBrowser(testApp, 'alice');

      await guessWrong(alice, 9);
      const rightCode = await openCode(alice, start.user_code).expect(200); // 9 wrong: not limited yet
      await guessWrong(alice, 1);

      const limited = await openCode(alice, start.user_code).expect(429);
      expectPageSecurityHeaders(limited);
      expect(headingOf(limited.text)).toBe('Too many attempts');
      await submit(alice, { user_code: start.user_code, csrf_token: csrfTokenOf(rightCode.text), action: 'approve' }).expect(429);
      await expectStillPending(testApp, start);
    });
  });

  describe('over time', () => {
    const testApp = useTestApp();

    it('lifts the limit once 15 minutes have passed since the first wrong code', async () => {
      const alice = await signedInBrowser(testApp, 'alice');
      await guessWrong(alice, 10);

      testApp.clock.advance(14 * 60 + 59);
      const meanwhile = await startDeviceAuthorization(testApp);
      await openCode(alice, meanwhile.user_code).expect(429);

      testApp.clock.advance(1);
      await openCode(alice, meanwhile.user_code).expect(200);
    });
  });

  describe('per user, never for another user on the same address', () => {
    const testApp = useTestApp();

    it('keeps a limited user out from any address, while another user on the same address goes on', async () => {
      await guessWrong(await signedInBrowser(testApp, 'alice'), 10); // from 127.0.0.1
      const start = await startDeviceAuthorization(testApp, 'team-cli');

      await openCode(await signedInBrowser(testApp, 'alice', '127.0.0.2'), start.user_code).expect(429);
      await openCode(await signedInBrowser(testApp, 'bob'), start.user_code).expect(200);
      // bob's own fresh code too: alice's typos used up only her own allowance.
      const bobsOwn = await startDeviceAuthorization(testApp, 'team-cli');
      await decideInBrowser(await signedInBrowser(testApp, 'bob'), bobsOwn.user_code, 'approve');
    });
  });

  describe('per IP address, for every account behind it (rateLimits.wrongUserCodesPerIp)', () => {
    const testApp = useTestApp({ deviceAuth: { rateLimits: { wrongUserCodesPerIp: { limit: 15, windowSeconds: 900 } } } });

    it('keeps every user out from an address whose accounts together guessed wrong too often, and lets them in from another', async () => {
      await guessWrong(await signedInBrowser(testApp, 'alice'), 10); // alice's own limit
      const bob = await signedInBrowser(testApp, 'bob');
      await guessWrong(bob, 5); // the address's 15th
      const start = await startDeviceAuthorization(testApp, 'team-cli');

      const limited = await openCode(bob, start.user_code).expect(429);
      expect(limited.headers['retry-after']).toBe('900');
      await openCode(await signedInBrowser(testApp, 'bob', '127.0.0.3'), start.user_code).expect(200);
      await openCode(await signedInBrowser(testApp, 'alice', '127.0.0.3'), start.user_code).expect(429);
    });
  });

  describe('per IP address, whatever its notation', () => {
    // Per user far above per address, so only the address's count can be what refuses bob.
    const testApp = useTestApp({
      deviceAuth: {
        rateLimits: { wrongUserCodes: { limit: 50, windowSeconds: 900 }, wrongUserCodesPerIp: { limit: 10, windowSeconds: 900 } },
      },
    });

    it('counts 127.0.0.1 and ::ffff:127.0.0.1 (a dual-stack listener) as the same address', async () => {
      await guessWrong(await signedInBrowser(testApp, 'alice'), 10); // seen as 127.0.0.1
      const start = await startDeviceAuthorization(testApp, 'team-cli');

      await listenDualStack(testApp);
      await openCode(await signedInBrowser(testApp, 'bob'), start.user_code).expect(429); // seen as ::ffff:127.0.0.1
      await openCode(await signedInBrowser(testApp, 'bob', '127.0.0.3'), start.user_code).expect(200);
    });

    it('shows a device that came over a dual-stack listener with its plain IPv4 address', async () => {
      await listenDualStack(testApp);
      const start = await startDeviceAuthorization(testApp, 'team-cli');
      const page = await openCode(await signedInBrowser(testApp, 'bob', '127.0.0.4'), start.user_code).expect(200);
      expect(page.text).toContain('from 127.0.0.1');
      expect(page.text).not.toContain('::ffff:');
    });
  });

  describe('not counting visits', () => {
    const testApp = useTestApp();

    it('lets a user reopen their own approved and denied codes, and expired ones, as often as they like', async () => {
      const alice = await signedInBrowser(testApp, 'alice');
      const approved = await startDeviceAuthorization(testApp);
      await decideInBrowser(alice, approved.user_code, 'approve');
      const denied = await startDeviceAuthorization(testApp);
      await decideInBrowser(alice, denied.user_code, 'deny');
      const expired = await startDeviceAuthorization(testApp);
      testApp.clock.advance(expired.expires_in);

      for (let i = 0; i < 15; i++) {
        await openCode(alice, approved.user_code).expect(200);
        await openCode(alice, denied.user_code).expect(200);
        await openCode(alice, expired.user_code).expect(400);
      }
      const fresh = await startDeviceAuthorization(testApp);
      await decideInBrowser(alice, fresh.user_code, 'approve');
    });
  });
});

describe('unknown addresses under the pages', () => {
  const testApp = useTestApp();
  const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

  it.each(['/oauth/device/whatever', '/oauth/device/a/b?user_code=BCDF-GHJK', '/o/authorize/x', '/settings/tokens/nothing'])(
    'answer a browser at %s with a 404 page that leads home',
    async (path) => {
      const page = await request(testApp.http).get(path).set('Accept', BROWSER_ACCEPT).expect(404);
      expect(page.type).toBe('text/html');
      expectPageSecurityHeaders(page);
      expect(headingOf(page.text)).toBe('Page not found');
      expect(page.text).toContain('<a href="/">Go to the home page</a>');
    },
  );

  it.each([
    ['a JSON client', 'application/json'],
    ['a client that accepts anything', '*/*'],
    ['a client that sends no Accept', undefined],
  ])('keep answering %s in JSON', async (_, accept) => {
    const get = request(testApp.http).get('/oauth/device/whatever');
    const response = await (accept === undefined ? get : get.set('Accept', accept)).expect(404);
    expect(response.type).toBe('application/json');
    expect(response.body.statusCode).toBe(404);
  });

  it('leave the host’s own paths to the host', async () => {
    const response = await request(testApp.http).get('/api/v1/nothing-here').set('Accept', BROWSER_ACCEPT).expect(404);
    expect(response.type).toBe('application/json');
  });
});

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

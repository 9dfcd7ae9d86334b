import request from 'supertest';
import { DEVICE_AUTH_MESSAGES_DE } from '../../lib';
import { SAMPLE_SCOPES } from '../../sample-app/sample-scopes';
import { AUTHORIZE_PATH, authorizeQuery, pkce } from './support/code-flow';
import { csrfTokenOf, openLoginForm, PASSWORDS, signedInBrowser, startDeviceAuthorization, submitLoginForm } from './support/device-flow';
import { useTestApp } from './support/test-app';
import { errorMessageOf, headingOf, VERIFICATION_PATH } from './support/verification-page';

const ALICE = { username: 'alice', password: PASSWORDS.alice, next: '/' };

/** The Set-Cookie values of an answer. */
const setCookies = (response: request.Response): string[] => ([] as string[]).concat(response.headers['set-cookie'] ?? []);

/** The `<li>` texts of a page's scope list, tags removed. */
const scopeItems = (html: string): string[] =>
  [...(/<ul class="scopes">(.*?)<\/ul>/s.exec(html)?.[1] ?? '').matchAll(/<li>(.*?)<\/li>/gs)].map((item) =>
    item[1].replace(/<[^>]+>/g, ''),
  );

describe('the sample host: sign-in against login CSRF', () => {
  const testApp = useTestApp();

  /** Who the home page says is signed in for this answer's session cookie, or null. */
  async function signedInAs(response: request.Response): Promise<string | null> {
    const session = setCookies(response).find((cookie) => cookie.startsWith('sid='));
    if (session === undefined) return null;
    const home = await request(testApp.http).get('/').set('Cookie', session.split(';')[0]).expect(200);
    return /Signed in as <strong>([^<]*)<\/strong>/.exec(home.text)?.[1] ?? null;
  }

  it('refuses a cross-site POST without a token (login CSRF) with a 403 sign-in page, and signs no one in', async () => {
    const forged = await request(testApp.http).post('/login').set('Origin', 'https://evil.example').type('form').send(ALICE);
    expect(forged.status).toBe(403);
    expect(forged.headers['content-type']).toMatch(/^text\/html/);
    expect(errorMessageOf(forged.text)).toBe(
      'This sign-in form has expired or was sent from another site, so you were not signed in. Sign in here.',
    );
    expect(setCookies(forged).some((cookie) => cookie.startsWith('sid='))).toBe(false);
    expect(await signedInAs(forged)).toBeNull();
  });

  it('signs in with the token of the form the browser opened, from this site', async () => {
    const form = await openLoginForm(testApp);
    const response = await request(testApp.http)
      .post('/login')
      .set('Origin', 'http://localhost:3000')
      .set('Cookie', form.cookie)
      .type('form')
      .send({ ...ALICE, csrf_token: form.csrfToken })
      .expect(303);
    expect(await signedInAs(response)).toBe('Alice');
  });

  it('signs in without an Origin header (older browsers): the token decides', async () => {
    expect(await signedInAs(await submitLoginForm(request.agent(testApp.http), ALICE))).toBe('Alice');
  });

  it('refuses the right token posted from another site, by its Origin or its Sec-Fetch-Site', async () => {
    const form = await openLoginForm(testApp);
    const fromElsewhere: Record<string, string>[] = [
      { Origin: 'https://evil.example' },
      { Origin: 'http://localhost:3000.evil.example' },
      { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' },
      { 'Sec-Fetch-Site': 'cross-site' },
      { Origin: 'null', 'Sec-Fetch-Site': 'cross-site' },
      { Origin: 'https://app.localhost:3000', 'Sec-Fetch-Site': 'same-site' },
    ];
    for (const headers of fromElsewhere) {
      const response = await request(testApp.http)
        .post('/login')
        .set(headers)
        .set('Cookie', form.cookie)
        .type('form')
        .send({ ...ALICE, csrf_token: form.csrfToken });
      expect({ headers, status: response.status }).toEqual({ headers, status: 403 });
      expect(await signedInAs(response)).toBeNull();
    }
  });

  it("signs in from this site's own page, which (with Referrer-Policy: no-referrer) a browser posts with Origin: null", async () => {
    const form = await openLoginForm(testApp);
    const response = await request(testApp.http)
      .post('/login')
      .set({ Origin: 'null', 'Sec-Fetch-Site': 'same-origin' })
      .set('Cookie', form.cookie)
      .type('form')
      .send({ ...ALICE, csrf_token: form.csrfToken })
      .expect(303);
    expect(await signedInAs(response)).toBe('Alice');
  });

  it("refuses a token without its cookie, another browser's token, and a token of the wrong shape", async () => {
    const mine = await openLoginForm(testApp);
    const theirs = await openLoginForm(testApp);
    const attempts: [string, string | undefined, string][] = [
      ['no cookie', undefined, mine.csrfToken],
      ["another browser's token", mine.cookie, theirs.csrfToken],
      ['a token of the wrong shape', mine.cookie, 'x'],
      ['no token', mine.cookie, ''],
    ];
    for (const [label, cookie, csrfToken] of attempts) {
      let attempt = request(testApp.http).post('/login').type('form');
      if (cookie !== undefined) attempt = attempt.set('Cookie', cookie);
      const response = await attempt.send({ ...ALICE, csrf_token: csrfToken });
      expect({ label, status: response.status }).toEqual({ label, status: 403 });
      expect(await signedInAs(response)).toBeNull();
    }
  });

  it('checks the token before the password: a forged form with a wrong password is a 403 too', async () => {
    const forged = await request(testApp.http)
      .post('/login')
      .type('form')
      .send({ ...ALICE, password: 'wrong' });
    expect(forged.status).toBe(403);
  });

  it('keeps one token per browser across reloads, in an HttpOnly SameSite=Lax cookie, and the refused page carries a fresh form', async () => {
    const browser = request.agent(testApp.http);
    const first = await browser.get('/login').expect(200);
    const again = await browser.get('/login').expect(200);
    expect(csrfTokenOf(again.text)).toBe(csrfTokenOf(first.text));
    const cookie = setCookies(first).find((value) => value.startsWith('login_csrf='));
    expect(cookie?.toLowerCase().split('; ')).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'path=/']));

    const refused = await request(testApp.http).post('/login').type('form').send(ALICE).expect(403);
    const fresh = setCookies(refused).find((value) => value.startsWith('login_csrf='));
    expect(fresh?.split(';')[0]).toBe(`login_csrf=${csrfTokenOf(refused.text)}`);
  });

  it('still answers a wrong password with 401 and the form again', async () => {
    const response = await submitLoginForm(request.agent(testApp.http), { ...ALICE, password: 'wrong' });
    expect(response.status).toBe(401);
    expect(errorMessageOf(response.text)).toBe('Incorrect username or password.');
  });
});

describe("the sample host's pages: headers and look", () => {
  const testApp = useTestApp();

  it.each([
    ['the home page', () => request(testApp.http).get('/')],
    ['the sign-in page', () => request(testApp.http).get('/login')],
    ['a refused sign-in', () => request(testApp.http).post('/login').type('form').send(ALICE)],
    ['a wrong password', () => submitLoginForm(request.agent(testApp.http), { ...ALICE, password: 'wrong' })],
  ])('%s is never sniffed, framed or cached', async (_label, page) => {
    const response = await page();
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['content-security-policy']).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'; /);
  });

  it("wears the device-auth pages' stylesheet, allowed by the same hash", async () => {
    const login = await request(testApp.http).get('/login').expect(200);
    const code = await (await signedInBrowser(testApp, 'alice')).get(VERIFICATION_PATH).expect(200);
    const style = (html: string) => /<style>(.*?)<\/style>/s.exec(html)?.[1];
    expect(style(login.text)).toBe(style(code.text));
    const styleSource = (policy: string) => /style-src ('sha256-[^']+')/.exec(policy)?.[1];
    expect(styleSource(login.headers['content-security-policy'])).toBe(styleSource(code.headers['content-security-policy']));
    expect(login.text).toContain('<main>');
  });
});

describe('the sample host in German (Accept-Language: de)', () => {
  const testApp = useTestApp();
  const GERMAN = 'de-DE,de;q=0.9,en;q=0.5';

  it('serves the sign-in page in German, and refuses a forged sign-in in German', async () => {
    const page = await request(testApp.http).get('/login').set('Accept-Language', GERMAN).expect(200);
    expect(page.text).toContain('<html lang="de">');
    expect(headingOf(page.text)).toBe('Anmelden');
    expect(page.text).toContain('<label for="username">Benutzername</label>');
    expect(page.text).toContain('<label for="password">Passwort</label>');

    const refused = await request(testApp.http).post('/login').set('Accept-Language', 'de').type('form').send(ALICE).expect(403);
    expect(errorMessageOf(refused.text)).toMatch(/^Dieses Anmeldeformular ist abgelaufen oder wurde von einer anderen Website gesendet/);
  });

  it('serves the home page in German', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const home = await alice.get('/').set('Accept-Language', 'de').expect(200);
    expect(headingOf(home.text)).toBe('Beispiel-App');
    expect(home.text).toContain('Angemeldet als <strong>Alice</strong>.');
  });

  it("serves the module's pages in German: the code entry", async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const page = await alice.get(VERIFICATION_PATH).set('Accept-Language', GERMAN).expect(200);
    expect(page.text).toContain('<html lang="de">');
    expect(headingOf(page.text)).toBe(DEVICE_AUTH_MESSAGES_DE['enterCode.title']);
  });

  it('lists the scopes in German on the confirm page, and in English for an English browser', async () => {
    const start = await startDeviceAuthorization(testApp, 'sample-cli', 'user:read listings:read offline_access');
    const alice = await signedInBrowser(testApp, 'alice');
    const german = await alice.get(VERIFICATION_PATH).query({ user_code: start.user_code }).set('Accept-Language', GERMAN).expect(200);
    expect(headingOf(german.text)).toBe('Sample CLI den Zugriff auf Ihr Konto erlauben?');
    expect(scopeItems(german.text)).toEqual([
      'user:read: Ihr Profil lesen',
      'listings:read: Ihre Inserate lesen',
      'offline_access: Angemeldet bleiben, bis Sie sich abmelden',
    ]);
    const english = await alice.get(VERIFICATION_PATH).query({ user_code: start.user_code }).set('Accept-Language', 'en-US').expect(200);
    expect(scopeItems(english.text)).toEqual([
      'user:read: Read your profile',
      'listings:read: Read your listings',
      'offline_access: Stay signed in until you sign out',
    ]);
  });

  it('lists the scopes in German on the consent page, the OpenID Connect ones too', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const query = authorizeQuery(pkce().challenge, { scope: 'openid profile email user:read' });
    const page = await alice.get(AUTHORIZE_PATH).query(query).set('Accept-Language', 'de').expect(200);
    expect(scopeItems(page.text)).toEqual([
      'openid: Sie mit Ihrem Konto bei der App anmelden',
      'profile: Ihren Namen und Benutzernamen sehen',
      'email: Ihre E-Mail-Adresse sehen',
      'user:read: Ihr Profil lesen',
    ]);
  });

  it('gives every sample scope a German description of its own', () => {
    for (const [name, description] of Object.entries(SAMPLE_SCOPES)) {
      expect({ name, german: typeof description === 'object' && description.de !== description.en }).toEqual({ name, german: true });
    }
  });

  it('keeps the metadata free of any language: scope names only', async () => {
    const metadata = await request(testApp.http).get('/.well-known/oauth-authorization-server').set('Accept-Language', 'de').expect(200);
    expect(metadata.body.scopes_supported).toEqual(Object.keys(SAMPLE_SCOPES));
  });
});

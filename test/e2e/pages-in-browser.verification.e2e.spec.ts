import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import request from 'supertest';
import { DEVICE_AUTH_MESSAGES_DE, messagesByLanguage } from '../../lib';
import { describeInBrowser, horizontalOverflow, isExpectedStatusLog, useBrowser } from './support/browser';
import { AUTHORIZE_PATH, authorizeQuery, pkce } from './support/code-flow';
import { DeviceStart, PASSWORDS, pollAgain, startDeviceAuthorization } from './support/device-flow';
import { present } from './support/present';
import { useTestApp } from './support/test-app';
import { pathOf, VERIFICATION_PATH } from './support/verification-page';

// One Chromium for the whole file; a page waits at most 10 s.
jest.setTimeout(120_000);

/** Git-ignored, one folder per platform. */
const SCREENSHOTS = join(__dirname, '..', '..', 'screenshots', 'verification', process.env.HTTP_PLATFORM || 'express');

const WIDTHS: Record<'1280' | '390', BrowserContextOptions> = {
  '1280': { viewport: { width: 1280, height: 800 } },
  '390': { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
};
const LOCALES = { en: 'en-US', de: 'de-DE' } as const;
type Language = keyof typeof LOCALES;
type User = keyof typeof PASSWORDS;

/** Each sentence checked, in both languages. */
const TEXT = {
  en: {
    confirmHeading: 'Allow Sample CLI to access your account?',
    expires: (time: string) => `This request expires at ${time} (in 15 minutes).`,
    using: 'using acme-cli 1.4.0.',
    invalid: 'That code is not valid. Check the code on your device, or start again there to get a new one.',
    expired: 'That code has expired. Start again on your device to get a new one.',
    approved: 'Device connected',
    alreadyApproved: 'You already approved this request',
    wrongAccount: 'Wrong account',
    signedInAsBob: 'You are signed in as Bob, but Sample CLI is a personal app bound to another account.',
    signOut: 'Sign out and use another account',
    cannotContinue: 'Sign-in cannot continue',
    whatToDo: 'Return to the app and start the sign-in again.',
    notFound: 'Page not found',
    tooMany: 'Too many attempts',
    tryAgain: 'Try again in 15 minutes.',
    home: 'Go to the home page',
    enterCode: 'Enter a code',
  },
  de: {
    confirmHeading: 'Sample CLI den Zugriff auf Ihr Konto erlauben?',
    expires: (time: string) => `Diese Anfrage läuft um ${time} ab (in 15 Minuten).`,
    using: 'mit acme-cli 1.4.0.',
    invalid: 'Dieser Code ist nicht gültig. Prüfen Sie den Code auf Ihrem Gerät oder starten Sie dort neu, um einen neuen zu erhalten.',
    expired: 'Dieser Code ist abgelaufen. Starten Sie auf Ihrem Gerät neu, um einen neuen zu erhalten.',
    approved: 'Gerät verbunden',
    alreadyApproved: 'Sie haben diese Anfrage bereits erlaubt',
    wrongAccount: 'Falsches Konto',
    signedInAsBob: 'Sie sind als Bob angemeldet, aber Sample CLI ist eine persönliche App, die an ein anderes Konto gebunden ist.',
    signOut: 'Abmelden und ein anderes Konto verwenden',
    cannotContinue: 'Anmeldung kann nicht fortgesetzt werden',
    whatToDo: 'Kehren Sie zur App zurück und starten Sie die Anmeldung erneut.',
    notFound: 'Seite nicht gefunden',
    tooMany: 'Zu viele Versuche',
    tryAgain: 'Versuchen Sie es in 15 Minuten erneut.',
    home: 'Zur Startseite',
    enterCode: 'Code eingeben',
  },
} satisfies Record<Language, unknown>;

/** A time as the confirm page shows it: this server's clock, hours and minutes, with its zone. */
const clockTime = (epochMillis: number, language: Language): string =>
  new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' }).format(epochMillis);

// As pages-in-browser.e2e.spec.ts: SQLite only, and skipped (saying why) where Chromium is missing.
describeInBrowser('the verification and error pages in a real browser (Chromium), in English and German', () => {
  const testApp = useTestApp({ deviceAuth: { messages: messagesByLanguage({ de: DEVICE_AUTH_MESSAGES_DE }) } });
  /** The status a page is meant to answer with, which Chromium reports as a failed load in the console: not a problem. */
  const browser = useBrowser(testApp, { ignore: isExpectedStatusLog });
  /** Each user's signed-in browser state (the session cookie), got once through the real login page. */
  const sessions = new Map<User, Awaited<ReturnType<BrowserContext['storageState']>>>();

  beforeAll(() => mkdirSync(SCREENSHOTS, { recursive: true }));

  /** Signs in on the host's login page as a person would. */
  async function signIn(page: Page, user: User): Promise<void> {
    await page.getByLabel('Username').fill(user);
    await page.getByLabel('Password').fill(PASSWORDS[user]);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname !== '/login');
  }

  /** A page at one width and language, signed in as `user` (a session shared by every page of that user). */
  async function pageAs(user: User | null, width: keyof typeof WIDTHS, language: Language): Promise<Page> {
    if (user !== null && !sessions.has(user)) {
      const login = await browser.newPage({ ...WIDTHS['1280'], locale: 'en-US' });
      await login.goto('/login');
      await signIn(login, user);
      sessions.set(user, await login.context().storageState());
    }
    return browser.newPage({ ...WIDTHS[width], locale: LOCALES[language], storageState: user === null ? undefined : sessions.get(user) });
  }

  /** Nothing sticks out sideways; every button and link lies inside the viewport's width. */
  async function expectFitsTheScreen(page: Page): Promise<void> {
    expect(await horizontalOverflow(page)).toBeNull();
    const width = present(page.viewportSize(), 'a viewport').width;
    for (const control of [...(await page.getByRole('button').all()), ...(await page.getByRole('link').all())]) {
      const box = present(await control.boundingBox(), `a box for ${await control.textContent()}`);
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(width);
    }
  }

  const heading = async (page: Page): Promise<string> => ((await page.locator('h1').textContent()) ?? '').trim();
  /** The page's visible text on one line, as a reader takes it in. */
  const textOf = async (page: Page): Promise<string> => (await page.locator('main').innerText()).replace(/\s+/g, ' ');

  /**
   * Opens `path` as `user` at 1280 and 390 px, in English and German; checks what `expectations`
   * says, that the page fits, and keeps a screenshot of each.
   */
  async function inEveryView(
    name: string,
    user: User | null,
    path: string,
    expectations: (page: Page, language: Language) => Promise<void>,
  ): Promise<void> {
    for (const language of Object.keys(LOCALES) as Language[]) {
      for (const width of Object.keys(WIDTHS) as (keyof typeof WIDTHS)[]) {
        const page = await pageAs(user, width, language);
        await page.goto(path);
        await expectations(page, language);
        await expectFitsTheScreen(page);
        await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}-${language}.png`), fullPage: true });
      }
    }
  }

  /** A device authorization as the client kit of `acme-cli` 1.4.0 starts it. */
  async function startAsAcmeCli(): Promise<DeviceStart> {
    const response = await request(testApp.http)
      .post('/o/device-authorization/')
      .set('User-Agent', 'acme-cli/1.4.0 nest-device-auth/0.1.0 node/22.11.0 linux')
      .type('form')
      .send({ client_id: 'sample-cli', scope: 'user:read' })
      .expect(200);
    return response.body as DeviceStart;
  }

  it('accepts a code typed with an en dash, and the confirm page names the CLI and says when the request expires', async () => {
    const start = await startAsAcmeCli();
    const page = await pageAs('alice', '1280', 'en');
    await page.goto(VERIFICATION_PATH);
    await page.getByLabel('Enter the code shown on your device').fill(start.user_code.toLowerCase().replace('-', '\u2013'));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: TEXT.en.confirmHeading }).waitFor();

    const expiresAt = testApp.clock.now() + start.expires_in * 1000;
    await inEveryView('confirm', 'alice', pathOf(start.verification_uri_complete), async (view, language) => {
      expect(await heading(view)).toBe(TEXT[language].confirmHeading);
      expect(await view.locator('p.code').textContent()).toBe(start.user_code);
      const text = await textOf(view);
      expect(text).toContain(TEXT[language].using);
      expect(text).toContain(TEXT[language].expires(clockTime(expiresAt, language)));
    });
  });

  it('keeps a refused code in the field, says it is not valid, and offers the way home', async () => {
    const page = await pageAs('alice', '390', 'en');
    await page.goto(VERIFICATION_PATH);
    await page.getByLabel('Enter the code shown on your device').fill('BCDF_GHJK');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('alert').filter({ hasText: TEXT.en.invalid }).waitFor();
    expect(await page.getByLabel('Enter the code shown on your device').inputValue()).toBe('BCDF_GHJK');

    await inEveryView('invalid-code', 'alice', `${VERIFICATION_PATH}?user_code=BCDF_GHJK`, async (view, language) => {
      expect(await view.getByRole('alert').textContent()).toBe(TEXT[language].invalid);
      expect(await view.locator('#user_code').inputValue()).toBe('BCDF_GHJK');
      expect(await view.getByRole('link', { name: TEXT[language].home }).getAttribute('href')).toBe('/');
    });
  });

  it('says an expired code expired, on opening it and on Approve', async () => {
    const start = await startDeviceAuthorization(testApp);
    const page = await pageAs('alice', '1280', 'en');
    await page.goto(pathOf(start.verification_uri_complete));
    testApp.clock.advance(start.expires_in);
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('alert').filter({ hasText: TEXT.en.expired }).waitFor();

    await inEveryView('expired-code', 'alice', pathOf(start.verification_uri_complete), async (view, language) => {
      expect(await view.getByRole('alert').textContent()).toBe(TEXT[language].expired);
    });
  });

  it('shows the approval again on Back after Approve, and on every later visit', async () => {
    const start = await startDeviceAuthorization(testApp);
    const page = await pageAs('alice', '390', 'de');
    await page.goto(pathOf(start.verification_uri_complete));
    await page.getByRole('button', { name: 'Erlauben' }).tap();
    await page.getByRole('heading', { name: TEXT.de.approved }).waitFor();
    await page.goBack();
    await page.getByRole('heading', { name: TEXT.de.alreadyApproved }).waitFor();
    await pollAgain(testApp, start).expect(200);

    await inEveryView('already-approved', 'alice', pathOf(start.verification_uri_complete), async (view, language) => {
      expect(await heading(view)).toBe(TEXT[language].alreadyApproved);
    });
  });

  it('tells bob on alice’s personal app who is signed in, and “Sign out and use another account” leads back to the same code', async () => {
    const start = await startDeviceAuthorization(testApp);
    await inEveryView('wrong-account', 'bob', pathOf(start.verification_uri_complete), async (view, language) => {
      expect(await heading(view)).toBe(TEXT[language].wrongAccount);
      expect(await textOf(view)).toContain(TEXT[language].signedInAsBob);
      await view.getByRole('button', { name: TEXT[language].signOut }).waitFor();
    });

    // A session of bob's own, so signing it out leaves the one the other tests share.
    const page = await pageAs(null, '390', 'en');
    await page.goto(pathOf(start.verification_uri_complete));
    await signIn(page, 'bob');
    await page.getByRole('button', { name: TEXT.en.signOut }).tap();
    await page.waitForURL((url) => url.pathname === '/login');
    await signIn(page, 'alice');
    await page.getByRole('heading', { name: TEXT.en.confirmHeading }).waitFor();
    expect(await page.locator('p.code').textContent()).toBe(start.user_code);
  });

  it('tells bob the same on the consent page of alice’s personal app', async () => {
    const query = new URLSearchParams(authorizeQuery(pkce().challenge)).toString();
    await inEveryView('consent-wrong-account', 'bob', `${AUTHORIZE_PATH}?${query}`, async (view, language) => {
      expect(await heading(view)).toBe(TEXT[language].wrongAccount);
      expect(await textOf(view)).toContain(TEXT[language].signedInAsBob);
      await view.getByRole('button', { name: TEXT[language].signOut }).waitFor();
    });
  });

  it('says what to do when a sign-in cannot continue (an unknown app), with a link home that works', async () => {
    const query = new URLSearchParams(authorizeQuery(pkce().challenge, { client_id: 'nobody' })).toString();
    await inEveryView('sign-in-cannot-continue', 'alice', `${AUTHORIZE_PATH}?${query}`, async (view, language) => {
      expect(await heading(view)).toBe(TEXT[language].cannotContinue);
      expect(await textOf(view)).toContain(TEXT[language].whatToDo);
    });
    const page = await pageAs('alice', '1280', 'en');
    await page.goto(`${AUTHORIZE_PATH}?${query}`);
    await page.getByRole('link', { name: TEXT.en.home }).click();
    await page.waitForURL((url) => url.pathname === '/');
  });

  it('answers an unknown address under the pages with a page, not JSON', async () => {
    await inEveryView('not-found', null, `${VERIFICATION_PATH}/whatever`, async (view, language) => {
      expect(await heading(view)).toBe(TEXT[language].notFound);
      expect(await view.getByRole('link', { name: TEXT[language].home }).getAttribute('href')).toBe('/');
    });
  });

  it('says after too many wrong codes when to try again, and links back to the code entry', async () => {
    const page = await pageAs('alice', '1280', 'en');
    for (let guess = 0; guess < 12; guess++) {
      await page.goto(`${VERIFICATION_PATH}?user_code=ZZZZ-ZZZZ`);
      if ((await heading(page)) === TEXT.en.tooMany) break;
    }
    expect(await heading(page)).toBe(TEXT.en.tooMany);

    await inEveryView('too-many-attempts', 'alice', `${VERIFICATION_PATH}?user_code=ZZZZ-ZZZZ`, async (view, language) => {
      expect(await heading(view)).toBe(TEXT[language].tooMany);
      expect(await textOf(view)).toContain(TEXT[language].tryAgain);
      await view.getByRole('link', { name: TEXT[language].enterCode }).waitFor();
    });
    await page.getByRole('link', { name: TEXT.en.enterCode }).click();
    await page.waitForURL((url) => url.pathname === VERIFICATION_PATH && url.search === '');
    testApp.clock.advance(15 * 60);
  });
});

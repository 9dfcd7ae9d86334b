import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { describeInBrowser, horizontalOverflow, useBrowser } from './support/browser';
import { AUTHORIZE_PATH, authorizeQuery, pkce } from './support/code-flow';
import { PASSWORDS, pollAgain, startDeviceAuthorization } from './support/device-flow';
import { present } from './support/present';
import { useTestApp } from './support/test-app';
import { pathOf, VERIFICATION_PATH } from './support/verification-page';

jest.setTimeout(60_000);

/** Git-ignored, one folder per platform. */
const SCREENSHOTS = join(__dirname, '..', '..', 'screenshots', 'sample', process.env.HTTP_PLATFORM || 'express');

const WIDTHS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;
type Width = keyof typeof WIDTHS;

/** What each language calls the sign-in form's parts, and what the pages say after it. */
const WORDING = {
  en: {
    locale: 'en-US',
    signIn: 'Sign in',
    username: 'Username',
    password: 'Password',
    confirmHeading: 'Allow Sample CLI to access your account?',
    scopes: ['user:read: Read your profile', 'listings:read: Read your listings'],
    approve: 'Approve',
    approved: 'Device connected',
    consentScopes: [
      'openid: Sign you in to the app with your account',
      'profile: See your name and username',
      'user:read: Read your profile',
    ],
    refused: 'This sign-in form has expired or was sent from another site, so you were not signed in. Sign in here.',
  },
  de: {
    locale: 'de-DE',
    signIn: 'Anmelden',
    username: 'Benutzername',
    password: 'Passwort',
    confirmHeading: 'Sample CLI den Zugriff auf Ihr Konto erlauben?',
    scopes: ['user:read: Ihr Profil lesen', 'listings:read: Ihre Inserate lesen'],
    approve: 'Erlauben',
    approved: 'Gerät verbunden',
    consentScopes: [
      'openid: Sie mit Ihrem Konto bei der App anmelden',
      'profile: Ihren Namen und Benutzernamen sehen',
      'user:read: Ihr Profil lesen',
    ],
    refused:
      'Dieses Anmeldeformular ist abgelaufen oder wurde von einer anderen Website gesendet; Sie wurden nicht angemeldet. Melden Sie sich hier an.',
  },
} as const;
type Language = keyof typeof WORDING;

/** The little of the DOM read inside the page (the project compiles without lib.dom). */
interface BrowserStyles {
  getComputedStyle(element: unknown): { backgroundColor: string };
}

// SQLite only, as the other browser suite: the pages are the same HTML over either database (describeInBrowser).
describeInBrowser("the sample host's sign-in and German pages in a real browser (Chromium)", () => {
  const testApp = useTestApp();
  const browser = useBrowser(testApp);

  /** A fresh browser profile at `width` whose Accept-Language is the language's. */
  function newPage(width: Width, language: Language): Promise<Page> {
    const phone: BrowserContextOptions = width === 'phone' ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {};
    return browser.newPage({ viewport: WIDTHS[width], ...phone, locale: WORDING[language].locale });
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }

  /** Nothing sticks out sideways, and every button and field lies inside the viewport's width. */
  async function expectFitsTheScreen(page: Page): Promise<void> {
    expect(await horizontalOverflow(page)).toBeNull();
    const width = page.viewportSize()?.width ?? 0;
    for (const control of await page.locator('button, input:not([type=hidden])').all()) {
      const box = present(await control.boundingBox(), 'a box for a control');
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(width);
    }
  }

  const heading = (page: Page, text: string): Promise<void> => page.getByRole('heading', { level: 1, name: text, exact: true }).waitFor();

  async function signIn(page: Page, language: Language): Promise<void> {
    const words = WORDING[language];
    await page.getByLabel(words.username, { exact: true }).fill('alice');
    await page.getByLabel(words.password, { exact: true }).fill(PASSWORDS.alice);
    await page.getByRole('button', { name: words.signIn }).click();
  }

  describe.each(Object.keys(WIDTHS) as Width[])('at %s width', (width) => {
    it.each(Object.keys(WORDING) as Language[])(
      'in %s: signs in on the styled sign-in page and approves a device, its scopes in the language of the page',
      async (language) => {
        const words = WORDING[language];
        const start = await startDeviceAuthorization(testApp, 'sample-cli', 'user:read listings:read');
        const page = await newPage(width, language);
        await page.goto(pathOf(start.verification_uri_complete));
        await heading(page, words.signIn);
        expect(await page.getAttribute('html', 'lang')).toBe(language);
        // The module's stylesheet: the card on a grey page, as on the pages before and after it.
        expect(
          await page.locator('main').evaluate((main) => (globalThis as unknown as BrowserStyles).getComputedStyle(main).backgroundColor),
        ).toBe('rgb(255, 255, 255)');
        await expectFitsTheScreen(page);
        await screenshot(page, `${width}-${language}-sign-in`);

        await signIn(page, language);
        await heading(page, words.confirmHeading);
        expect(await page.locator('ul.scopes li').allTextContents()).toEqual(words.scopes);
        await expectFitsTheScreen(page);
        await screenshot(page, `${width}-${language}-confirm`);
        await page.getByRole('button', { name: words.approve }).click();
        await heading(page, words.approved);
        await pollAgain(testApp, start).expect(200);
      },
    );

    it.each(Object.keys(WORDING) as Language[])(
      'in %s: the consent page lists the scopes in the language of the page',
      async (language) => {
        const words = WORDING[language];
        const page = await newPage(width, language);
        const query = new URLSearchParams(authorizeQuery(pkce().challenge, { scope: 'openid profile user:read' }));
        await page.goto(`${AUTHORIZE_PATH}?${query}`);
        await heading(page, words.signIn);
        await signIn(page, language);
        await page.locator('ul.scopes').waitFor();
        expect(await page.locator('ul.scopes li').allTextContents()).toEqual(words.consentScopes);
        await expectFitsTheScreen(page);
        await screenshot(page, `${width}-${language}-consent`);
      },
    );
  });

  it.each(Object.keys(WORDING) as Language[])(
    'in %s: a sign-in form posted from another site is refused, signs no one in, and the page offers a fresh form that works',
    async (language) => {
      const words = WORDING[language];
      const page = await newPage('desktop', language);
      const { origin } = browser;
      // Another site's page that posts alice's credentials to the sample (login CSRF): its Origin is not the sample's.
      await page.goto('about:blank');
      await page.setContent(
        `<form method="post" action="${origin}/login"><input name="username" value="alice"><input name="password" value="${PASSWORDS.alice}"><input name="next" value="/"></form>`,
      );
      await Promise.all([
        page.waitForURL(`${origin}/login`),
        page.locator('form').evaluate((form) => (form as { submit(): void }).submit()),
      ]);
      await heading(page, words.signIn);
      expect(await page.getByRole('alert').textContent()).toBe(words.refused);
      expect((await page.context().cookies()).some((cookie) => cookie.name === 'sid')).toBe(false);
      await screenshot(page, `desktop-${language}-sign-in-refused`);
      // The 403 is the point here: the console's note of it is expected, and only it.
      const problems = browser.problemsOf(page);
      expect(problems.list).toEqual(['console: Failed to load resource: the server responded with a status of 403 (Forbidden)']);
      problems.list.length = 0;

      await signIn(page, language);
      await page.waitForURL(`${origin}/`);
      expect((await page.context().cookies()).some((cookie) => cookie.name === 'sid')).toBe(true);
      await screenshot(page, `desktop-${language}-home`);
    },
  );

  it('the code entry page is German for a German browser too', async () => {
    const page = await newPage('phone', 'de');
    await page.goto(VERIFICATION_PATH);
    await signIn(page, 'de');
    await heading(page, 'Gerät verbinden');
    await expectFitsTheScreen(page);
    await screenshot(page, 'phone-de-enter-code');
  });
});

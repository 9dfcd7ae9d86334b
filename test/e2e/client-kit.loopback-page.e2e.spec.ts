import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { TokenStore } from '../../lib/client';
import { runSampleCli } from '../../sample-app/cli/sample-cli';
import { DESKTOP, describeInBrowser, horizontalOverflow, launchChromium, PageProblems, watchProblems } from './support/browser';
import { kitFetch, listenForKit, tempDir } from './support/client-kit';
import { PASSWORDS } from './support/device-flow';
import { ISSUER, useTestApp } from './support/test-app';

// `npm run cli -- login --browser` with Chromium as the user's browser: the page the CLI's loopback
// listener shows at the end, in English and German, on a desktop and a phone.

jest.setTimeout(60_000);

const SCREENSHOTS = join(__dirname, '..', '..', 'screenshots', 'cli');
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

/** A terminal that is not a TTY: it keeps what the CLI writes. */
class Transcript extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** The little of the DOM read inside the page (the project compiles without lib.dom). */
interface CardStyle {
  font: string;
  cardBackground: string;
  cardRadius: string;
  cardLeft: number;
  cardRight: number;
  viewport: number;
}

// SQLite only (describeInBrowser): the loopback page is served by the CLI, whatever database the server uses.
describeInBrowser('login --browser: the page the CLI shows in the browser (Chromium)', () => {
  const testApp = useTestApp();
  let baseUrl: string;
  let browser: Browser;
  let temp: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    baseUrl = await listenForKit(testApp);
    browser = await launchChromium();
    temp = await tempDir();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await temp?.remove();
  });

  /**
   * Runs `login --browser`; the browser it opens is a fresh Chromium profile: alice signs in on the
   * host's login page, approves on the consent page, and lands on the CLI's page.
   */
  async function loginInBrowser(options: BrowserContextOptions & { locale: string }, name: string) {
    const context = await browser.newContext(options);
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const problems = await watchProblems(page);
    const out = new Transcript();
    let browsing: Promise<void> = Promise.resolve();
    const failed = new AbortController();
    try {
      const code = await runSampleCli(['login', '--browser'], {
        issuer: ISSUER,
        store: new TokenStore({ path: join(temp.dir, name, 'credentials.json') }),
        out,
        input: new PassThrough(),
        fetch: kitFetch(baseUrl),
        signal: failed.signal,
        // The server calls itself ISSUER; the browser reaches it where it really listens.
        openBrowser: (url) => {
          browsing = signInAndApprove(page, baseUrl + url.slice(ISSUER.length));
          browsing.catch(() => failed.abort());
        },
      });
      await browsing;
      expect([code, out.text]).toEqual([0, expect.stringContaining('✔ Logged in as alice.')]);
      return { page, problems, context };
    } catch (error) {
      await context.close();
      throw error;
    }
  }

  async function signInAndApprove(page: Page, authorizeUrl: string): Promise<void> {
    await page.goto(authorizeUrl);
    await page.locator('input[name=username]').fill('alice');
    await page.locator('input[name=password]').fill(PASSWORDS.alice);
    await page.locator('button[type=submit]').click();
    await page.locator('button[value=approve]').click();
    await page.waitForURL((url) => url.hostname === '127.0.0.1' && url.pathname === '/callback');
  }

  const cardStyle = (page: Page): Promise<CardStyle> =>
    page.evaluate(() => {
      type Element = { getBoundingClientRect(): { left: number; right: number } };
      const { document, getComputedStyle } = globalThis as unknown as {
        document: { body: Element; querySelector(selector: string): Element; documentElement: { clientWidth: number } };
        getComputedStyle(element: Element): { fontFamily: string; backgroundColor: string; borderTopLeftRadius: string };
      };
      const card = document.querySelector('main');
      const box = card.getBoundingClientRect();
      return {
        font: getComputedStyle(document.body).fontFamily,
        cardBackground: getComputedStyle(card).backgroundColor,
        cardRadius: getComputedStyle(card).borderTopLeftRadius,
        cardLeft: box.left,
        cardRight: box.right,
        viewport: document.documentElement.clientWidth,
      };
    });

  it.each([
    ['desktop', 'en', DESKTOP, 'Signed in', 'You can close this tab and return to your terminal.'],
    ['desktop', 'de', DESKTOP, 'Angemeldet', 'Sie können diesen Tab schließen und zu Ihrem Terminal zurückkehren.'],
    ['phone', 'en', PHONE, 'Signed in', 'You can close this tab and return to your terminal.'],
    ['phone', 'de', PHONE, 'Angemeldet', 'Sie können diesen Tab schließen und zu Ihrem Terminal zurückkehren.'],
  ] as const)(
    '%s, %s: a styled, centred card that says so, with nothing loaded from elsewhere',
    async (device, language, size, heading, text) => {
      const { page, problems, context } = await loginInBrowser({ ...size, locale: language }, `${device}-${language}`);
      try {
        await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
        expect(await page.locator('main p').textContent()).toBe(text);
        expect(await page.locator('html').getAttribute('lang')).toBe(language);
        const style = await cardStyle(page);
        expect(style.font).toMatch(/^system-ui/);
        expect(style.cardBackground).toBe('rgb(255, 255, 255)');
        if (device === 'desktop') {
          expect(style.cardRadius).toBe('12px');
          // Centred: as much room on either side.
          expect(Math.abs(style.cardLeft - (style.viewport - style.cardRight))).toBeLessThanOrEqual(1);
        }
        expect(await horizontalOverflow(page)).toBeNull();
        await page.screenshot({
          path: join(SCREENSHOTS, `loopback-signed-in-${device}-${language}-${process.env.HTTP_PLATFORM || 'express'}.png`),
        });
        expect((problems as PageProblems).list).toEqual([]);
      } finally {
        await context.close();
      }
    },
  );
});

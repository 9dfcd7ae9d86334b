import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { DEVICE_AUTH_MESSAGES_DE, DEVICE_AUTH_MESSAGES_EN, DeviceAuthMessages, messagesByLanguage } from '../../lib';
import { describeInBrowser, focused, horizontalOverflow, isExpectedStatusLog, readClipboard, useBrowser } from './support/browser';
import { AUTHORIZE_PATH, authorizeQuery, pkce } from './support/code-flow';
import { callMe, PASSWORDS, startDeviceAuthorization } from './support/device-flow';
import { present } from './support/present';
import { useTestApp } from './support/test-app';
import { pathOf, VERIFICATION_PATH } from './support/verification-page';

const TOKENS_PAGE = '/settings/tokens';

// One Chromium for the whole file; a page waits at most 10 s.
jest.setTimeout(120_000);

/** Git-ignored: screenshots/tokens/<platform>/<language>-<width>-<page>.png. */
const SCREENSHOTS = join(__dirname, '..', '..', 'screenshots', 'tokens', process.env.HTTP_PLATFORM || 'express');

const LANGUAGES = { en: DEVICE_AUTH_MESSAGES_EN, de: DEVICE_AUTH_MESSAGES_DE } satisfies Record<string, DeviceAuthMessages>;
type Language = keyof typeof LANGUAGES;

const WIDTHS = { desktop: 1280, phone: 390 } as const;

const contextFor = (width: number, language: Language): BrowserContextOptions =>
  width < 600
    ? { viewport: { width, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: language }
    : { viewport: { width, height: 800 }, locale: language };

/** What one control of a page measures in the browser. */
interface ControlLook {
  what: string;
  height: number;
  fontFamily: string;
  /** Contrast of the control's edge (its border, or its fill where the border is the fill) against what it stands on. */
  edgeContrast: number;
}

interface PageLook {
  bodyFont: string;
  h1: number | null;
  h2: number | null;
  body: number;
  controls: ControlLook[];
}

/** The little of the DOM the measurement uses (the project compiles without lib.dom). */
interface Element {
  tagName: string;
  className: string;
  type?: string;
  textContent: string | null;
  parentElement: Element | null;
  closest(selector: string): Element | null;
  getBoundingClientRect(): { width: number; height: number };
}
interface Style {
  fontFamily: string;
  fontSize: string;
  borderTopColor: string;
  borderTopWidth: string;
  backgroundColor: string;
}
interface Globals {
  document: {
    body: Element;
    activeElement: Element | null;
    querySelector(selector: string): Element | null;
    querySelectorAll(selector: string): Iterable<Element>;
  };
  getComputedStyle(element: Element): Style & { outlineStyle: string; outlineWidth: string };
}

/** The focused element's outline: the page's own ring (3 px solid), not the browser's thin default. */
function ringOf(page: Page): Promise<{ style: string; width: number }> {
  return page.evaluate(() => {
    const { document, getComputedStyle } = globalThis as unknown as Globals;
    const style = getComputedStyle(document.activeElement ?? document.body);
    return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
  });
}

/**
 * Measures the page as WCAG does: type sizes, each visible control's height and font, and the
 * contrast of its edge (WCAG 1.4.11: 3:1 for what identifies a control) against its backdrop.
 */
function measure(page: Page): Promise<PageLook> {
  return page.evaluate(() => {
    const { document, getComputedStyle } = globalThis as unknown as Globals;
    const rgb = (color: string): number[] => (color.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r, g, b]: number[]): number => {
      const channel = (value: number) => (value / 255 <= 0.03928 ? value / 255 / 12.92 : ((value / 255 + 0.055) / 1.055) ** 2.4);
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const contrast = (a: string, b: string): number => {
      const [light, dark] = [luminance(rgb(a)), luminance(rgb(b))].sort((x, y) => y - x);
      return (light + 0.05) / (dark + 0.05);
    };
    const transparent = (color: string) => color === 'transparent' || rgb(color)[3] === 0;
    const backdrop = (element: Element): string => {
      for (let parent = element.parentElement; parent; parent = parent.parentElement) {
        const color = getComputedStyle(parent).backgroundColor;
        if (!transparent(color)) return color;
      }
      return 'rgb(255, 255, 255)';
    };
    const size = (selector: string) => {
      const element = document.querySelector(selector);
      return element ? parseFloat(getComputedStyle(element).fontSize) : null;
    };
    const controls = [...document.querySelectorAll('button, input:not([type=hidden]), select, a.button, label.scope')].filter(
      (element) => element.getBoundingClientRect().width > 0,
    );
    return {
      bodyFont: getComputedStyle(document.body).fontFamily,
      h1: size('h1'),
      h2: size('h2'),
      body: parseFloat(getComputedStyle(document.body).fontSize),
      controls: controls.map((element) => {
        const style = getComputedStyle(element);
        // A checkbox is as tall as its label, which is the target a finger hits.
        const target = element.type === 'checkbox' ? (element.closest('label') ?? element) : element;
        const edge =
          parseFloat(style.borderTopWidth) > 0 && !transparent(style.borderTopColor) ? style.borderTopColor : style.backgroundColor;
        return {
          what: `${element.tagName.toLowerCase()}${element.type ? `[${element.type}]` : ''}.${element.className} “${(element.textContent ?? '').trim().slice(0, 30)}”`,
          height: target.getBoundingClientRect().height,
          fontFamily: style.fontFamily,
          edgeContrast: element.tagName === 'LABEL' || element.type === 'checkbox' ? Infinity : contrast(edge, backdrop(element)),
        };
      }),
    };
  });
}

// As pages-in-browser.e2e.spec.ts: Express and Fastify on SQLite, skipped (and saying why) without Chromium.
describeInBrowser('the API tokens page, and the look of every page, in a real browser (Chromium)', () => {
  const testApp = useTestApp({ deviceAuth: { messages: messagesByLanguage({ de: DEVICE_AUTH_MESSAGES_DE }) } });
  // Error pages answer 4xx on purpose, which Chromium logs as a failed load: every other problem counts.
  const browser = useBrowser(testApp, { ignore: isExpectedStatusLog });

  beforeAll(() => mkdirSync(SCREENSHOTS, { recursive: true }));

  /** A fresh profile (no cookies), with clipboard access for the copy button. */
  const newPage = (options: BrowserContextOptions = contextFor(WIDTHS.desktop, 'en')): Promise<Page> =>
    browser.newPage(options, { clipboard: true });

  const shoot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

  /** Signs in on the sample's login page as a person would, and lands on `path`. */
  async function signIn(page: Page, path: string, username: keyof typeof PASSWORDS = 'alice'): Promise<void> {
    await page.goto(path);
    // By field name: the sign-in page speaks the browser's language.
    await page.locator('input[name=username]').fill(username);
    await page.locator('input[name=password]').fill(PASSWORDS[username]);
    await page.locator('form[action="/login"] button[type=submit]').click();
    await page.waitForURL((url) => url.pathname === new URL(path, browser.origin).pathname);
  }

  const heading = (page: Page, level: 1 | 2, text: string) => page.getByRole('heading', { level, name: text, exact: true }).waitFor();

  async function createToken(page: Page, m: DeviceAuthMessages, name: string, scope = 'user:read'): Promise<void> {
    await page.getByLabel(m['tokens.create.name'], { exact: true }).fill(name);
    await page.getByRole('checkbox', { name: new RegExp(scope) }).check();
    await page.getByRole('button', { name: m['tokens.create.submit'] }).click();
    await heading(page, 2, m['tokens.created.heading']({ name }));
  }

  describe('the API tokens page', () => {
    const m = DEVICE_AUTH_MESSAGES_EN;

    it('creates with post/redirect/get: Copy copies the token and says Copied; a reload shows it no more and creates nothing', async () => {
      const page = await newPage();
      await signIn(page, TOKENS_PAGE);
      await createToken(page, m, 'copied');
      const url = new URL(page.url());
      expect(url.pathname).toBe(TOKENS_PAGE);
      expect([...url.searchParams.keys()]).toEqual(['created', 'key']);
      const token = present(await page.locator('#new-token').textContent(), 'the new token').trim();
      expect(url.href).not.toContain(token.slice(5));
      const copy = page.getByRole('button', { name: 'Copy', exact: true });
      await copy.click();
      await page.getByRole('button', { name: 'Copied', exact: true }).waitFor();
      expect(await readClipboard(page)).toBe(token);
      await shoot(page, 'en-1280-tokens-copied');
      await callMe(testApp, token).expect(200);

      await page.reload();
      await page
        .getByRole('status')
        .filter({ hasText: m['tokens.created.noLongerShown']({ name: 'copied' }) })
        .waitFor();
      expect(await page.locator('#new-token').count()).toBe(0);
      expect(await page.content()).not.toContain(token);
      expect(await page.getByRole('row', { name: /copied/ }).count()).toBe(1);
      await shoot(page, 'en-1280-tokens-reloaded');
    });

    it('works without script: no copy button, and the token is text to select and copy', async () => {
      const page = await newPage({ ...contextFor(WIDTHS.desktop, 'en'), javaScriptEnabled: false });
      await signIn(page, TOKENS_PAGE);
      await createToken(page, m, 'no script');
      expect(await page.getByRole('button', { name: 'Copy', exact: true }).isVisible()).toBe(false);
      await page.locator('#new-token').click({ clickCount: 3 });
      await page.keyboard.press('Control+C');
      const token = (await readClipboard(page)).trim();
      expect(token).toBe((await page.locator('#new-token').textContent())?.trim());
      await callMe(testApp, token).expect(200);
    });

    it('keeps what was typed after an error and says what to do, in English and German; fixed, the form creates the token', async () => {
      for (const language of ['en', 'de'] as const) {
        const t = LANGUAGES[language];
        const page = await newPage(contextFor(WIDTHS.phone, language));
        await signIn(page, TOKENS_PAGE);
        await page.getByLabel(t['tokens.create.name'], { exact: true }).fill(`deploy ${language}`);
        await page.getByLabel(t['tokens.create.expiresIn']).selectOption('30');
        await page.getByRole('button', { name: t['tokens.create.submit'] }).click();
        await page
          .getByRole('alert')
          .filter({ hasText: t['tokens.error.refusal']({ kind: 'noScopes' }) })
          .waitFor();
        expect(await page.getByLabel(t['tokens.create.name'], { exact: true }).inputValue()).toBe(`deploy ${language}`);
        expect(await page.getByLabel(t['tokens.create.expiresIn']).inputValue()).toBe('30');
        expect(await horizontalOverflow(page)).toBeNull();
        await shoot(page, `${language}-390-tokens-error`);

        await page.getByRole('checkbox', { name: /listings:read/ }).check();
        await page.getByRole('button', { name: t['tokens.create.submit'] }).click();
        await heading(page, 2, t['tokens.created.heading']({ name: `deploy ${language}` }));
      }
    });

    it('asks before revoking: Cancel goes back and keeps the token, Revoke revokes it', async () => {
      const page = await newPage();
      await signIn(page, TOKENS_PAGE);
      await createToken(page, m, 'asked');
      const token = present(await page.locator('#new-token').textContent(), 'the new token').trim();
      const row = page.getByRole('row', { name: /asked/ });
      await row.getByRole('button', { name: m['tokens.list.revoke'] }).click();
      await heading(page, 1, m['tokens.revoke.title']({ name: 'asked' }));
      await shoot(page, 'en-1280-tokens-revoke-question');
      await page.getByRole('link', { name: m['tokens.revoke.cancel'] }).click();
      await heading(page, 1, m['tokens.title']);
      await callMe(testApp, token).expect(200);

      await row.getByRole('button', { name: m['tokens.list.revoke'] }).click();
      await page.getByRole('button', { name: m['tokens.revoke.confirm'] }).click();
      await page.getByRole('status').filter({ hasText: m['tokens.revokedNotice'] }).waitFor();
      await callMe(testApp, token).expect(401);
    });

    it('on a phone (390 and 360 px): one card per token, Expires and Revoke on screen, nothing scrolls sideways', async () => {
      const page = await newPage(contextFor(WIDTHS.phone, 'en'));
      await signIn(page, TOKENS_PAGE);
      await createToken(page, m, 'a token with a rather long name for a phone screen', 'listings:write');
      await page.goto(TOKENS_PAGE);
      for (const width of [390, 360]) {
        await page.setViewportSize({ width, height: 844 });
        expect(await horizontalOverflow(page)).toBeNull();
        const row = page.getByRole('row', { name: /rather long name/ });
        for (const cell of [row.locator('td[data-label="Expires"]'), row.getByRole('button', { name: m['tokens.list.revoke'] })]) {
          await cell.scrollIntoViewIfNeeded();
          const box = present(await cell.boundingBox(), 'a box');
          expect(box.x).toBeGreaterThanOrEqual(0);
          expect(box.x + box.width).toBeLessThanOrEqual(width);
        }
      }
      await page.setViewportSize({ width: 390, height: 844 });
      await shoot(page, 'en-390-tokens-cards');
    });
  });

  describe('the look of every page: one type scale, controls in the page font, 44 px targets, a focus ring, edges of 3:1', () => {
    /** Checks the page as a person with a keyboard, a phone or low vision meets it, then screenshots it. */
    async function expectTheLook(page: Page, name: string): Promise<void> {
      const width = page.viewportSize()?.width ?? 0;
      const look = await measure(page);
      expect(look.h1).not.toBeNull();
      expect(look.h1 as number).toBeGreaterThan(look.body * 1.5);
      if (look.h2 !== null) expect(look.h1 as number).toBeGreaterThan(look.h2);
      for (const control of look.controls) {
        expect({ control: control.what, tall: control.height >= 44 }).toEqual({ control: control.what, tall: true });
        expect({ control: control.what, contrast: control.edgeContrast >= 3 }).toEqual({ control: control.what, contrast: true });
        if (!/code-input/.test(control.what))
          expect({ control: control.what, font: control.fontFamily }).toEqual({ control: control.what, font: look.bodyFont });
      }
      expect(await horizontalOverflow(page)).toBeNull();
      if (width < 600) {
        await page.setViewportSize({ width: 360, height: 844 });
        expect(await horizontalOverflow(page)).toBeNull();
        await page.setViewportSize({ width, height: 844 });
      }
      // Keyboard: the first stops all show a ring.
      await page.locator('body').click({ position: { x: 1, y: 1 } });
      for (let stop = 0; stop < 3; stop++) {
        await page.keyboard.press('Tab');
        const { name: stopName, ringVisible } = await focused(page);
        if (stopName === '(nothing)') break;
        expect({ stop: stopName, ringVisible }).toEqual({ stop: stopName, ringVisible: true });
        expect({ stop: stopName, ring: await ringOf(page) }).toEqual({ stop: stopName, ring: { style: 'solid', width: 3 } });
      }
      await page.locator('body').click({ position: { x: 1, y: 1 } });
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    }

    for (const language of ['en', 'de'] as const) {
      for (const [size, width] of Object.entries(WIDTHS)) {
        it(`${language}, ${width} px (${size}): enter code, confirm, result, consent, API tokens, and the error pages`, async () => {
          const t = LANGUAGES[language];
          const name = (pageName: string) => `${language}-${width}-${pageName}`;
          const page = await newPage(contextFor(width, language));
          await signIn(page, VERIFICATION_PATH);
          await expectTheLook(page, name('enter-code'));

          await page.goto(`${VERIFICATION_PATH}?user_code=ZZZZ-ZZZZ`);
          await page.getByRole('alert').waitFor();
          await expectTheLook(page, name('enter-code-error'));

          const start = await startDeviceAuthorization(testApp, 'sample-cli', 'user:read listings:read');
          await page.goto(pathOf(start.verification_uri_complete));
          await page.getByRole('button', { name: t['confirm.approve'] }).waitFor();
          await expectTheLook(page, name('confirm'));
          await page.getByRole('button', { name: t['confirm.approve'] }).click();
          await heading(page, 1, t['result.approved.title']);
          await expectTheLook(page, name('result'));

          await page.goto(`${AUTHORIZE_PATH}?${new URLSearchParams(authorizeQuery(pkce().challenge)).toString()}`);
          await page.getByRole('button', { name: t['confirm.approve'] }).waitFor();
          await expectTheLook(page, name('consent'));

          await page.goto(
            `${AUTHORIZE_PATH}?${new URLSearchParams(authorizeQuery(pkce().challenge, { client_id: 'no-such-app' })).toString()}`,
          );
          await heading(page, 1, t['error.signIn.title']);
          await expectTheLook(page, name('sign-in-error'));

          await page.goto(TOKENS_PAGE);
          await heading(page, 1, t['tokens.title']);
          await createToken(page, t, `look ${language} ${width}`);
          await page.getByRole('button', { name: t['tokens.created.copy'], exact: true }).waitFor();
          await expectTheLook(page, name('tokens-created'));
          await page.goto(TOKENS_PAGE);
          await expectTheLook(page, name('tokens'));
          await page
            .getByRole('row', { name: new RegExp(`look ${language} ${width}`) })
            .getByRole('button', { name: t['tokens.list.revoke'] })
            .click();
          await heading(page, 1, t['tokens.revoke.title']({ name: `look ${language} ${width}` }));
          await expectTheLook(page, name('tokens-revoke-question'));

          // bob opens a code of alice's personal app.
          const bob = await newPage(contextFor(width, language));
          const bobs = await startDeviceAuthorization(testApp, 'sample-cli', 'user:read');
          await signIn(bob, pathOf(bobs.verification_uri_complete), 'bob');
          await heading(bob, 1, t['wrongAccount.title']);
          await expectTheLook(bob, name('wrong-account'));
        });
      }
    }
  });
});

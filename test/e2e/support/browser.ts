import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { present } from './present';
import { type TestApp, usesPostgres } from './test-app';

/** Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it): playwright's own download is not reachable here. */
export const CHROMIUM = '/usr/bin/chromium';

/** Without the background-networking switches Chromium's own calls home fail on the closed network and slow every launch. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Git-ignored; one folder per platform, so the Express and Fastify runs keep their own. */
export const SCREENSHOTS = join(__dirname, '..', '..', '..', 'screenshots', process.env.HTTP_PLATFORM || 'express');

/** Headless Chromium with a fresh, empty profile (playwright makes a new user-data dir per launch). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };
export const PHONE: BrowserContextOptions = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

/** The little of the DOM the functions below use inside the page (the project compiles without lib.dom). */
interface BrowserElement {
  tagName: string;
  className: string;
  textContent: string | null;
  value?: string;
  labels?: ArrayLike<BrowserElement>;
  getBoundingClientRect(): { right: number };
  matches(selector: string): boolean;
}
interface BrowserGlobals {
  document: {
    documentElement: { clientWidth: number; scrollWidth: number };
    body: BrowserElement;
    activeElement: BrowserElement | null;
    querySelectorAll(selector: string): Iterable<BrowserElement>;
    addEventListener(type: 'securitypolicyviolation', listener: (event: CspViolation) => void): void;
  };
  getComputedStyle(element: BrowserElement): { outlineStyle: string; outlineWidth: string };
  navigator: { clipboard: { readText(): Promise<string> } };
  __reportCspViolation(text: string): void;
}
interface CspViolation {
  violatedDirective: string;
  blockedURI: string;
  documentURI: string;
}

/** What went wrong in a page: console errors, uncaught exceptions and Content-Security-Policy violations. */
export interface PageProblems {
  list: string[];
}

/**
 * Records every console error, uncaught exception and CSP violation of the page. Violations are
 * reported by a listener the browser installs before any page script (outside the page's CSP).
 */
export async function watchProblems(page: Page): Promise<PageProblems> {
  const problems: PageProblems = { list: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') problems.list.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.list.push(`exception: ${error.message}`));
  await page.exposeFunction('__reportCspViolation', (text: string) => problems.list.push(`CSP: ${text}`));
  await page.addInitScript(() => {
    const browser = globalThis as unknown as BrowserGlobals;
    browser.document.addEventListener('securitypolicyviolation', (event) =>
      browser.__reportCspViolation(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'} on ${event.documentURI}`),
    );
  });
  return problems;
}

/**
 * `describe` for a suite that drives Chromium; skipped where:
 * - Chromium is missing (a fresh machine; `.ci/run` installs it): `npm test` still passes, and a warning
 *   naming the suite says why it did not run;
 * - the database is PostgreSQL: Express and Fastify on SQLite only. The pages are the same HTML over
 *   either database, and the supertest suites already open every page on PostgreSQL; a browser there
 *   would add about 20 s per run on two shared cores and no behaviour of its own.
 */
export function describeInBrowser(name: string, body: () => void): void {
  const chromiumInstalled = existsSync(CHROMIUM);
  if (!chromiumInstalled) console.warn(`Skipped “${name}”: ${CHROMIUM} is missing (apt-get install chromium).`);
  (usesPostgres() || !chromiumInstalled ? describe.skip : describe)(name, body);
}

/** The status an error page is meant to answer with (4xx), which Chromium logs as a failed load in the console. */
export const isExpectedStatusLog = (problem: string): boolean =>
  /^console: Failed to load resource: the server responded with a status of 4\d\d/.test(problem);

/** The suite's Chromium, the origin the app listens on for it, and the pages its tests open. */
export interface BrowserInUse {
  /** Valid from the suite's beforeAll on. */
  readonly browser: Browser;
  /** `http://127.0.0.1:<port>`, where the app listens; valid from the suite's beforeAll on. */
  readonly origin: string;
  /**
   * A fresh browser profile (no cookies) with `options`, its base URL the app's origin, waiting at
   * most 10 s; `clipboard` grants clipboard access (for "copy"). Checked after the test.
   */
  newPage(options: BrowserContextOptions, access?: { clipboard?: boolean }): Promise<Page>;
  /** What went wrong so far in a page newPage opened in this test. */
  problemsOf(page: Page): PageProblems;
}

/**
 * One Chromium for the suite (a launch takes seconds on these cores), and the app listening on
 * 127.0.0.1 for it: call after useTestApp, so the app is up first. After each test every page the
 * test opened is closed, and no problem may have happened in it but those `ignore` lets through.
 */
export function useBrowser(testApp: TestApp, { ignore }: { ignore?: (problem: string) => boolean } = {}): BrowserInUse {
  let browser: Browser | undefined;
  let origin: string | undefined;
  /** Every page a test opened, with what went wrong in it; checked after each test. */
  let opened: { context: BrowserContext; page: Page; problems: PageProblems }[] = [];

  beforeAll(async () => {
    await testApp.app.listen(0, '127.0.0.1');
    origin = `http://127.0.0.1:${((testApp.http as Server).address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  afterAll(() => browser?.close());

  afterEach(async () => {
    const problems = opened.flatMap(({ problems }) => problems.list).filter((problem) => !ignore?.(problem));
    await Promise.all(opened.map(({ context }) => context.close()));
    opened = [];
    expect(problems).toEqual([]);
  });

  const inUse: BrowserInUse = {
    get browser() {
      return present(browser, 'the browser (launched in beforeAll)');
    },
    get origin() {
      return present(origin, 'the origin (known in beforeAll)');
    },
    async newPage(options, { clipboard = false } = {}) {
      const context = await inUse.browser.newContext({ ...options, baseURL: inUse.origin });
      if (clipboard) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: inUse.origin });
      context.setDefaultTimeout(10_000);
      const page = await context.newPage();
      opened.push({ context, page, problems: await watchProblems(page) });
      return page;
    },
    problemsOf(page) {
      return present(
        opened.find((entry) => entry.page === page),
        'a page this test opened',
      ).problems;
    },
  };
  return inUse;
}

/** What the user last copied (the context needs the clipboard-read permission). */
export function readClipboard(page: Page): Promise<string> {
  return page.evaluate(() => (globalThis as unknown as BrowserGlobals).navigator.clipboard.readText());
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The widest element past the right edge of the viewport, or null when nothing overflows horizontally. */
export function horizontalOverflow(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as BrowserGlobals;
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return null;
    const offender = [...document.querySelectorAll('body *')].find((element) => element.getBoundingClientRect().right > width + 0.5);
    return offender
      ? `${offender.tagName.toLowerCase()}.${offender.className} (${document.documentElement.scrollWidth}px > ${width}px)`
      : 'the page';
  });
}

/**
 * Waits, for at most 10 s, until the page's autofocus has put the focus in a field: on a busy
 * machine it lands after the `load` event, and keys typed before it would go nowhere.
 */
export async function autofocusSettled(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const { document } = globalThis as unknown as BrowserGlobals;
      return document.activeElement !== null && document.activeElement !== document.body;
    },
    undefined,
    { timeout: 10_000 },
  );
}

/** The focused element as a user would name it (its label, text or value), and whether the browser draws a focus ring. */
export function focused(page: Page): Promise<{ name: string; ringVisible: boolean }> {
  return page.evaluate(() => {
    const { document, getComputedStyle } = globalThis as unknown as BrowserGlobals;
    const element = document.activeElement;
    if (element === null || element === document.body) return { name: '(nothing)', ringVisible: false };
    const label = element.labels?.[0]?.textContent?.trim();
    const name = label || element.textContent?.trim() || element.value || element.tagName;
    const style = getComputedStyle(element);
    const ringVisible = element.matches(':focus-visible') && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    return { name, ringVisible };
  });
}

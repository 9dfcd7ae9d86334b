import type { BrowserContextOptions, Page } from 'playwright-core';
import {
  autofocusSettled,
  DESKTOP,
  describeInBrowser,
  focused,
  horizontalOverflow,
  PHONE,
  readClipboard,
  screenshot,
  useBrowser,
} from './support/browser';
import { AUTHORIZE_PATH, authorizeQuery, pkce, redeemCode } from './support/code-flow';
import { callMe, DeviceStart, PASSWORDS, pollAgain, startDeviceAuthorization } from './support/device-flow';
import { LoopbackApp } from './support/loopback-app';
import { present } from './support/present';
import { useTestApp } from './support/test-app';
import { pathOf, VERIFICATION_PATH } from './support/verification-page';

const TOKENS_PAGE = '/settings/tokens';
const SCOPES = 'user:read listings:read';

// One Chromium for the whole file (a launch takes seconds on these cores); a page waits at most 10 s.
// Express and Fastify on SQLite only, and skipped (saying why) without Chromium: see describeInBrowser.
jest.setTimeout(60_000);

describeInBrowser('the pages in a real browser (Chromium)', () => {
  const testApp = useTestApp();
  /** Every page a test opens is checked after the test: no console error, exception or CSP violation. */
  const browser = useBrowser(testApp);

  /** A fresh browser profile (no cookies) at the given size, with clipboard access for "copy". */
  const newPage = (options: BrowserContextOptions = DESKTOP): Promise<Page> => browser.newPage(options, { clipboard: true });

  const pathname = (page: Page): string => new URL(page.url()).pathname;

  /** Opens `path` signed out, signs in as alice on the login page it leads to, and lands back on `path`. */
  async function openSignedIn(page: Page, path: string): Promise<void> {
    await page.goto(path);
    expect(pathname(page)).toBe('/login');
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill(PASSWORDS.alice);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === new URL(path, browser.origin).pathname);
  }

  async function expectConfirmPage(page: Page, start: DeviceStart): Promise<void> {
    await expectHeading(page, 1, 'Allow Sample CLI to access your account?');
    expect(await page.locator('p.code').textContent()).toBe(start.user_code);
    expect(await page.locator('ul.scopes li').allTextContents()).toEqual([
      'user:read: Read your profile',
      'listings:read: Read your listings',
    ]);
  }

  /** Waits for the heading, so it also waits for the page a click or Enter is loading. */
  const expectHeading = (page: Page, level: 1 | 2, text: string): Promise<void> =>
    page.getByRole('heading', { level, name: text, exact: true }).waitFor();

  const expectNotice = (page: Page, text: string): Promise<void> => page.getByRole('status').filter({ hasText: text }).waitFor();

  /** Nothing sticks out sideways, and every button lies fully inside the viewport's width. */
  async function expectFitsTheScreen(page: Page): Promise<void> {
    expect(await horizontalOverflow(page)).toBeNull();
    const width = page.viewportSize()?.width ?? 0;
    for (const button of await page.getByRole('button').all()) {
      await button.scrollIntoViewIfNeeded();
      const box = present(await button.boundingBox(), `a box for the button ${await button.textContent()}`);
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(width);
    }
  }

  async function createToken(page: Page, name: string): Promise<string> {
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByRole('checkbox', { name: /user:read/ }).check();
    await page.getByRole('button', { name: 'Create token' }).click();
    await expectHeading(page, 2, `Your new token “${name}”`);
    return copyNewToken(page);
  }

  /** Copies the new token as a user does (triple-click selects it, Ctrl+C) and reads the clipboard back. */
  async function copyNewToken(page: Page): Promise<string> {
    await page.locator('#new-token').click({ clickCount: 3 });
    await page.keyboard.press('Control+C');
    const copied = (await readClipboard(page)).trim();
    expect(copied).toBe((await page.locator('#new-token').textContent())?.trim());
    expect(copied).toMatch(/^bpat_/);
    return copied;
  }

  it('signs in, confirms the app, scopes and code, approves, and the CLI’s poll gets tokens', async () => {
    const start = await startDeviceAuthorization(testApp, 'sample-cli', SCOPES);
    const page = await newPage();
    await openSignedIn(page, pathOf(start.verification_uri_complete));
    await expectConfirmPage(page, start);
    await screenshot(page, 'desktop-confirm');

    await page.getByRole('button', { name: 'Approve' }).click();
    await expectHeading(page, 1, 'Device connected');
    await screenshot(page, 'desktop-approved');

    const poll = await pollAgain(testApp, start).expect(200);
    expect(poll.body.scope).toBe(SCOPES);
    await callMe(testApp, poll.body.access_token).expect(200);
  });

  it('denies, and the CLI’s poll answers access_denied', async () => {
    const start = await startDeviceAuthorization(testApp, 'sample-cli', SCOPES);
    const page = await newPage();
    await openSignedIn(page, pathOf(start.verification_uri_complete));
    await page.getByRole('button', { name: 'Deny' }).click();
    await expectHeading(page, 1, 'Request denied');
    await screenshot(page, 'desktop-denied');
    expect((await pollAgain(testApp, start).expect(400)).body.error).toBe('access_denied');
  });

  it('consents in the code flow: Approve sends the browser to the app’s loopback redirect with the code', async () => {
    const app = await LoopbackApp.start();
    try {
      const { verifier, challenge } = pkce();
      const query = authorizeQuery(challenge, { redirect_uri: app.redirectUri, scope: SCOPES });
      const page = await newPage();
      await openSignedIn(page, `${AUTHORIZE_PATH}?${new URLSearchParams(query).toString()}`);
      await expectHeading(page, 1, 'Allow Sample CLI to access your account?');
      await screenshot(page, 'desktop-consent');

      await page.getByRole('button', { name: 'Approve' }).click();
      const arrived = await app.nextCallback();
      expect(arrived.get('state')).toBe(query.state);
      await page.getByText('Signed in: you can close this page.').waitFor();
      const tokens = await redeemCode(testApp, {
        code: present(arrived.get('code'), 'a code'),
        redirect_uri: app.redirectUri,
        code_verifier: verifier,
        client_id: 'sample-cli',
      }).expect(200);
      await callMe(testApp, tokens.body.access_token).expect(200);
    } finally {
      await app.stop();
    }
  });

  it('consents in the code flow: Deny sends the browser to the app with access_denied', async () => {
    const app = await LoopbackApp.start();
    try {
      const query = authorizeQuery(pkce().challenge, { redirect_uri: app.redirectUri, scope: SCOPES });
      const page = await newPage();
      await openSignedIn(page, `${AUTHORIZE_PATH}?${new URLSearchParams(query).toString()}`);
      await page.getByRole('button', { name: 'Deny' }).click();
      const arrived = await app.nextCallback();
      expect(arrived.get('error')).toBe('access_denied');
      expect(arrived.get('state')).toBe(query.state);
      await page.getByText('Signed in: you can close this page.').waitFor();
    } finally {
      await app.stop();
    }
  });

  it('creates an API token, copies it, and revokes it on the API tokens page', async () => {
    const page = await newPage();
    await openSignedIn(page, TOKENS_PAGE);
    const token = await createToken(page, 'laptop');
    await screenshot(page, 'desktop-token-created');
    await callMe(testApp, token).expect(200);

    await page
      .getByRole('row', { name: /laptop/ })
      .getByRole('button', { name: 'Revoke' })
      .click();
    // Revoke asks first; the token still works until the question is answered.
    await expectHeading(page, 1, 'Revoke “laptop”?');
    await callMe(testApp, token).expect(200);
    await page.getByRole('button', { name: 'Revoke' }).click();
    await expectNotice(page, 'The token was revoked.');
    expect(await page.locator('#new-token').count()).toBe(0);
    await screenshot(page, 'desktop-token-revoked');
    await callMe(testApp, token).expect(401);
  });

  describe('at a phone-sized viewport (360 × 740)', () => {
    it('approves a device: every page fits the screen and its buttons are reachable', async () => {
      const start = await startDeviceAuthorization(testApp, 'sample-cli', SCOPES);
      const page = await newPage(PHONE);
      await page.goto(pathOf(start.verification_uri_complete));
      await expectFitsTheScreen(page);
      await screenshot(page, 'phone-login');
      await page.getByLabel('Username').fill('alice');
      await page.getByLabel('Password').fill(PASSWORDS.alice);
      await page.getByRole('button', { name: 'Sign in' }).tap();
      await page.waitForURL((url) => url.pathname === VERIFICATION_PATH);

      await expectConfirmPage(page, start);
      await expectFitsTheScreen(page);
      await screenshot(page, 'phone-confirm');
      await page.getByRole('button', { name: 'Approve' }).tap();
      await expectHeading(page, 1, 'Device connected');
      await expectFitsTheScreen(page);
      await pollAgain(testApp, start).expect(200);
    });

    it('creates, copies and revokes an API token: the page and its token table fit the screen', async () => {
      const page = await newPage(PHONE);
      await openSignedIn(page, TOKENS_PAGE);
      await expectFitsTheScreen(page);
      const token = await createToken(page, 'phone');
      await expectFitsTheScreen(page);
      await screenshot(page, 'phone-token-created');
      await page.getByRole('row', { name: /phone/ }).getByRole('button', { name: 'Revoke' }).tap();
      await expectHeading(page, 1, 'Revoke “phone”?');
      await expectFitsTheScreen(page);
      await page.getByRole('button', { name: 'Revoke' }).tap();
      await expectNotice(page, 'The token was revoked.');
      await expectFitsTheScreen(page);
      await callMe(testApp, token).expect(401);
    });
  });

  describe('by keyboard alone', () => {
    /** Presses Tab until focus returns to where it started, naming each stop; every stop must show a focus ring. */
    async function tabStops(page: Page): Promise<string[]> {
      const stops: string[] = [];
      for (let press = 0; press < 40; press++) {
        await page.keyboard.press('Tab');
        const { name, ringVisible } = await focused(page);
        if (stops.includes(name) || name === '(nothing)') break;
        expect({ name, ringVisible }).toEqual({ name, ringVisible: true });
        stops.push(name);
      }
      return stops;
    }

    it('signs in, enters the code, tabs Approve → Deny with a visible focus, and Enter approves', async () => {
      const start = await startDeviceAuthorization(testApp, 'sample-cli', SCOPES);
      const page = await newPage();
      await page.goto(VERIFICATION_PATH);
      // The login form focuses the username itself; Tab moves on, Enter submits.
      await autofocusSettled(page);
      await page.keyboard.type('alice');
      await page.keyboard.press('Tab');
      await page.keyboard.type(PASSWORDS.alice);
      await page.keyboard.press('Enter');
      await page.waitForURL((url) => url.pathname === VERIFICATION_PATH);

      // The code field is focused on arrival; Enter submits it.
      await autofocusSettled(page);
      expect((await focused(page)).name).toBe('Enter the code shown on your device');
      await page.keyboard.type(start.user_code.toLowerCase());
      await page.keyboard.press('Enter');
      await page.waitForURL((url) => url.searchParams.has('user_code'));
      await expectConfirmPage(page, start);

      expect(await tabStops(page)).toEqual(['Approve', 'Deny']);
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Shift+Tab');
      expect(await focused(page)).toEqual({ name: 'Approve', ringVisible: true });
      await screenshot(page, 'keyboard-approve-focused');
      await page.keyboard.press('Enter');
      await expectHeading(page, 1, 'Device connected');
      await pollAgain(testApp, start).expect(200);
    });

    it('creates an API token: Tab follows the form from name to Create token, Space ticks a scope, Enter submits', async () => {
      const page = await newPage();
      await openSignedIn(page, TOKENS_PAGE);
      const scopeLabels = (await page.locator('label.scope').allTextContents()).map((label) => label.trim());
      const stops = await tabStops(page);
      expect(stops[0]).toBe('Name');
      expect(stops.slice(1, 1 + scopeLabels.length)).toEqual(scopeLabels);
      expect(stops.at(-1)).toBe('Create token');

      await page.reload(); // focus back at the top of the page
      await page.keyboard.press('Tab');
      expect((await focused(page)).name).toBe('Name');
      await page.keyboard.type('keyboard');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Space');
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Enter');
      await expectHeading(page, 2, 'Your new token “keyboard”');
      await callMe(testApp, await copyNewToken(page)).expect(200);
    });
  });
});

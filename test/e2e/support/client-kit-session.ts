import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { DeviceAuthSession, DevicePrompt, StoredSession, TokenStore } from '../../../lib/client';
import { sha256Hex } from '../../../lib/tokens/hashing';
import { clockSleep, KitRequest, kitFetch, listenForKit, tempDir, tokenRequests } from './client-kit';
import { decideInBrowser, signedInBrowser } from './device-flow';
import { ISSUER, TestApp, useTestApp } from './test-app';
import { pathOf } from './verification-page';

export const CLIENT_ID = 'sample-cli';
export const ACCESS_TOKEN_TTL_MS = 3_600_000;
/** DeviceAuthSession's default: refresh when the access token has less than this left. */
export const REFRESH_MARGIN_MS = 60_000;

export const refreshRequests = (log: KitRequest[]) => tokenRequests(log, 'refresh_token');

/** Opens the page the prompt points at, as the user would, and clicks Approve or Deny. */
export async function decideAsAlice(testApp: TestApp, prompt: DevicePrompt, action: 'approve' | 'deny'): Promise<void> {
  const browser = await signedInBrowser(testApp, 'alice');
  const page = await browser.get(pathOf(prompt.verificationUriComplete as string)).expect(200);
  expect(page.text).toContain(prompt.userCode);
  await decideInBrowser(browser, prompt.userCode, action);
}

/** How the grant (refresh-token family) of a refresh token ended: null while it is not revoked. */
export async function revocationOf(testApp: TestApp, refreshToken: string): Promise<string | null> {
  const rows: { revocation_reason: string | null }[] = await testApp.app.get(DataSource).query(
    `SELECT g.revocation_reason FROM device_auth_grants g JOIN device_auth_refresh_tokens r ON r.family_id = g.id
     WHERE r.token_hash = '${sha256Hex(refreshToken)}'`,
  );
  expect(rows).toHaveLength(1);
  return rows[0].revocation_reason;
}

export const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/** The in-process sample app listening for the kit, and a fresh credentials file for each test. */
export interface KitEnvironment {
  testApp: TestApp;
  /** Where the app listens (known from the first test on). */
  readonly baseUrl: string;
  /** This test's temp folder. */
  readonly dir: string;
  /** Under a folder that does not exist yet, so the store creates it (and its mode can be checked). */
  readonly storePath: string;
  /** A DeviceAuthSession on this test's credentials file, with the test clock, through the listening app. */
  session(log?: KitRequest[], options?: Partial<ConstructorParameters<typeof DeviceAuthSession>[0]>): DeviceAuthSession;
  /** A full login approved in the browser as soon as the prompt shows. */
  loggedIn(kit: DeviceAuthSession): Promise<StoredSession>;
  /** What the credentials file holds. */
  stored(): Promise<StoredSession>;
}

/** Registers the hooks of a client-kit suite: boots the app and listens once, a temp folder per test. */
export function useKitEnvironment(): KitEnvironment {
  const testApp = useTestApp();
  let baseUrl: string;
  let temp: Awaited<ReturnType<typeof tempDir>>;
  let storePath: string;

  beforeAll(async () => {
    baseUrl = await listenForKit(testApp);
  });
  beforeEach(async () => {
    temp = await tempDir();
    storePath = join(temp.dir, 'config', 'sample-cli', 'credentials.json');
  });
  afterEach(() => temp.remove());

  return {
    testApp,
    get baseUrl() {
      return baseUrl;
    },
    get dir() {
      return temp.dir;
    },
    get storePath() {
      return storePath;
    },
    session: (log = [], options = {}) =>
      new DeviceAuthSession({
        issuer: ISSUER,
        clientId: CLIENT_ID,
        store: new TokenStore({ path: storePath }),
        fetch: kitFetch(baseUrl, log),
        now: () => testApp.clock.now(),
        ...options,
      }),
    loggedIn: (kit) => kit.login({ onPrompt: (prompt) => decideAsAlice(testApp, prompt, 'approve'), sleep: clockSleep(testApp).sleep }),
    stored: async () => JSON.parse(await readFile(storePath, 'utf8')) as StoredSession,
  };
}

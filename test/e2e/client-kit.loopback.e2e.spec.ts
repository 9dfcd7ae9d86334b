import { AccessDeniedError, LoginResult, loopbackLogin, LoopbackLoginOptions } from '../../lib/client';
import { KitRequest, kitFetch, listenForKit, tokenRequests } from './support/client-kit';
import { AUTHORIZE_PATH, consentAndReturnToCli } from './support/code-flow';
import { callMe, refresh } from './support/device-flow';
import { ISSUER, useTestApp } from './support/test-app';

const CLIENT_ID = 'sample-cli';

describe('client kit: loopbackLogin (authorization code + PKCE, loopback redirect) against the in-process sample app', () => {
  const testApp = useTestApp();
  let baseUrl: string;
  beforeAll(async () => {
    baseUrl = await listenForKit(testApp);
  });

  /**
   * A login in which alice, signed in, makes `action` in the browser the kit opens. Resolves with how
   * the login ended, the URL shown, the page the kit's listener gave the browser, and the kit's requests.
   */
  async function loginDecidedInBrowser(action: 'approve' | 'deny', options: Partial<LoopbackLoginOptions> = {}) {
    const log: KitRequest[] = [];
    const shown: string[] = [];
    // A browser step that fails ends the login at once; its own error is thrown below.
    const browserFailed = new AbortController();
    let browsing: Promise<Response> | undefined;
    const outcome = await loopbackLogin({
      issuer: ISSUER,
      clientId: CLIENT_ID,
      onUrl: (url) => {
        shown.push(url);
      },
      openBrowser: (url) => {
        browsing = consentAndReturnToCli(testApp, url, action);
        browsing.catch(() => browserFailed.abort());
      },
      signal: browserFailed.signal,
      fetch: kitFetch(baseUrl, log),
      now: () => testApp.clock.now(),
      timeoutMs: 4_000, // a flow that hangs ends before Jest's 5 s, as LoginTimeoutError
      ...options,
    }).then(
      (result: LoginResult) => ({ result, error: undefined }),
      (error: unknown) => ({ result: undefined, error }),
    );
    const page = await browsing;
    return { ...outcome, shown, page: page && { status: page.status, text: await page.text() }, log };
  }

  it('approved: the browser comes back to the listener, and the code redeemed with its verifier gives working tokens', async () => {
    const { result, error, shown, page, log } = await loginDecidedInBrowser('approve', { scope: 'user:read' });
    expect(error).toBeUndefined();

    const authorize = new URL(shown[0]);
    expect(authorize.origin + authorize.pathname).toBe(`${ISSUER}${AUTHORIZE_PATH}`);
    expect(authorize.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(page).toEqual({ status: 200, text: expect.stringContaining('You can close this tab and return to your terminal') });
    expect(tokenRequests(log, 'authorization_code').map((entry) => entry.status)).toEqual([200]);

    const tokens = result as LoginResult;
    expect(tokens.metadata.authorization_endpoint).toBe(`${ISSUER}${AUTHORIZE_PATH}`);
    expect(tokens.scope).toBe('user:read');
    const me = await callMe(testApp, tokens.accessToken).expect(200);
    expect(me.body).toMatchObject({ username: 'alice', clientId: CLIENT_ID, scopes: ['user:read'], tokenKind: 'jwt' });
    // A full session: its refresh token works like one from the device flow.
    expect(tokens.refreshToken).toMatch(/^brt_/);
    await refresh(testApp, tokens.refreshToken as string).expect(200);
  });

  it('denied: AccessDeniedError, the tab says so, and no code reaches the token endpoint', async () => {
    const { error, page, log } = await loginDecidedInBrowser('deny');
    expect(error).toBeInstanceOf(AccessDeniedError);
    expect(page).toEqual({ status: 400, text: expect.stringContaining('The login was denied') });
    expect(tokenRequests(log, 'authorization_code')).toEqual([]);
  });
});

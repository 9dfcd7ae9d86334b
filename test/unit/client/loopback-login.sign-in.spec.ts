import { createHash } from 'node:crypto';
import { LoginResult, loopbackLogin } from '../../../lib/client';
import { s256Challenge } from '../../../lib/protocol/pkce';
import { answerTo, browse, CLIENT_ID, connectTo, echoOf, NOW, Page, SCOPE, useFakeServer } from '../support/loopback-login';

/** Opens a URL as a browser does, and keeps the whole answer. */
async function browseFully(url: string, acceptLanguage?: string): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(url, { headers: acceptLanguage ? { 'accept-language': acceptLanguage } : {} });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('loopbackLogin', () => {
  const fake = useFakeServer();
  const { login } = fake;

  it('sends the browser to the authorization endpoint with a state and an S256 challenge, then redeems the code with its verifier', async () => {
    const pages: Page[] = [];
    const opened: string[] = [];
    const { result, error, shown, port } = await login(async (url) => {
      opened.push(url);
      pages.push(await browse(answerTo(url, { code: 'the-code', ...echoOf(fake.server, url) })));
    });
    expect(error).toBeUndefined();

    // The user saw the URL the browser was sent to.
    expect(opened).toEqual(shown);
    const authorize = new URL(shown[0]);
    expect(authorize.origin + authorize.pathname).toBe(`${fake.server.issuer}/o/authorize/`);
    const query = Object.fromEntries(authorize.searchParams);
    expect(query).toEqual({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: `http://127.0.0.1:${port}/callback`,
      scope: SCOPE,
      state: expect.stringMatching(/^[A-Za-z0-9_-]{22,}$/),
      code_challenge: expect.any(String),
      code_challenge_method: 'S256',
    });

    // The code went to the token endpoint with the same redirect URI and the challenge's verifier.
    expect(fake.server.tokenForms).toEqual([
      {
        grant_type: 'authorization_code',
        code: 'the-code',
        redirect_uri: query.redirect_uri,
        code_verifier: expect.stringMatching(/^[A-Za-z0-9\-._~]{43,128}$/),
        client_id: CLIENT_ID,
      },
    ]);
    expect(s256Challenge(fake.server.tokenForms[0].code_verifier)).toBe(query.code_challenge);

    expect(result).toEqual<LoginResult>({
      accessToken: 'eyJ.access',
      refreshToken: 'brt_refresh',
      scope: 'user:read',
      expiresAt: NOW + 900_000,
      metadata: expect.objectContaining({ issuer: fake.server.issuer, token_endpoint: `${fake.server.issuer}/o/token/` }),
    });
    expect(pages).toEqual([
      { status: 200, cacheControl: 'no-store', text: expect.stringContaining('You can close this tab and return to your terminal') },
    ]);
    expect(await connectTo(port as number)).toBe('ECONNREFUSED');
  });

  it('the tab says "Signed in" styled like the module’s pages, self-contained, in German when the browser prefers it', async () => {
    const answers: Awaited<ReturnType<typeof browseFully>>[] = [];
    const { result } = await login(async (url) => {
      const callback = new URL(answerTo(url, { code: 'the-code', ...echoOf(fake.server, url) }));
      answers.push(await browseFully(`${callback.origin}/nothing`, 'de-DE,de;q=0.9,en;q=0.8'));
      answers.push(await browseFully(`${callback.origin}/nothing`, 'fr, en;q=0.8, de;q=0.5'));
      answers.push(await browseFully(callback.toString(), 'de-AT'));
    });
    expect(result?.accessToken).toBe('eyJ.access');
    const [german404, english404, signedIn] = answers;
    expect(german404.text).toContain('<html lang="de">');
    expect(german404.text).toContain('<h1>Nicht gefunden</h1>');
    expect(english404.text).toContain('<h1>Not found</h1>');
    expect(signedIn.status).toBe(200);
    expect(signedIn.text).toContain('<h1>Angemeldet</h1>');
    expect(signedIn.text).toContain('Sie können diesen Tab schließen und zu Ihrem Terminal zurückkehren.');
    expect(signedIn.text).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    // Styled by its own inline stylesheet, which the policy allows by hash; nothing else may load.
    const style = /<style>([\s\S]*)<\/style>/.exec(signedIn.text)?.[1] as string;
    expect(style).toContain('font-family:system-ui');
    expect(signedIn.headers.get('content-security-policy')).toBe(
      `default-src 'none'; style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`,
    );
    expect(signedIn.text).not.toMatch(/<script|<link|src=|url\(|https?:\/\//);
    expect(signedIn.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('hands onUrl the time the login gives up, and names the CLI in every request to the server', async () => {
    const deadlines: Date[] = [];
    const before = Date.now();
    const { result } = await login((url) => browse(answerTo(url, { code: 'the-code', ...echoOf(fake.server, url) })), {
      onUrl: (_url, expiresAt) => {
        deadlines.push(expiresAt);
      },
      userAgent: 'acme-cli/1.4.0',
      timeoutMs: 2000,
    });
    expect(result?.accessToken).toBe('eyJ.access');
    expect(deadlines).toHaveLength(1);
    expect(deadlines[0].getTime()).toBeGreaterThanOrEqual(before + 2000);
    expect(deadlines[0].getTime()).toBeLessThanOrEqual(Date.now() + 2000);
    expect(fake.server.requests).toEqual(['GET /.well-known/oauth-authorization-server', 'POST /o/token/']);
    expect(fake.server.userAgents).toEqual(Array(2).fill(expect.stringMatching(/^acme-cli\/1\.4\.0 nest-device-auth\/\S+ node\/\S+ \w+$/)));
  });

  it('answers only GET /callback: other paths and methods get 404, and the login goes on', async () => {
    const pages: Page[] = [];
    const { result } = await login(async (url) => {
      const callback = new URL(answerTo(url, { code: 'the-code', ...echoOf(fake.server, url) }));
      pages.push(await browse(`${callback.origin}/favicon.ico`));
      pages.push(await browse(`${callback.origin}/`));
      pages.push(await browse(`${callback.origin}/callback/extra${callback.search}`));
      pages.push(await browse(callback.toString(), { method: 'POST' }));
      pages.push(await browse(callback.toString()));
    });
    expect(pages.map((page) => page.status)).toEqual([404, 404, 404, 404, 200]);
    expect(result?.accessToken).toBe('eyJ.access');
  });

  it('answers a callback of another login (wrong or missing state) with a 400 page and keeps waiting for the right one', async () => {
    const pages: Page[] = [];
    const { result } = await login(async (url) => {
      const echo = echoOf(fake.server, url);
      pages.push(await browse(answerTo(url, { code: 'stale-code', ...echo, state: 'state-of-an-older-login' })));
      pages.push(await browse(answerTo(url, { code: 'stale-code', iss: echo.iss })));
      // Not even a denial ends the login when it does not carry this login's state.
      pages.push(await browse(answerTo(url, { error: 'access_denied', ...echo, state: echo.state.slice(1) })));
      pages.push(await browse(answerTo(url, { code: 'the-code', ...echo })));
    });
    expect(pages.map((page) => [page.status, page.cacheControl])).toEqual([
      [400, 'no-store'],
      [400, 'no-store'],
      [400, 'no-store'],
      [200, 'no-store'],
    ]);
    expect(pages[0].text).toContain('Your terminal is still waiting');
    expect(fake.server.tokenForms.map((form) => form.code)).toEqual(['the-code']);
    expect(result?.accessToken).toBe('eyJ.access');
  });

  it('when no browser can be opened, the user opens the URL shown by onUrl and the login completes', async () => {
    let byHand: Promise<Page> | undefined;
    const result = await loopbackLogin({
      issuer: fake.server.issuer,
      clientId: CLIENT_ID,
      onUrl: (url) => {
        byHand = browse(answerTo(url, { code: 'the-code', ...echoOf(fake.server, url) }));
      },
      openBrowser: () => {
        throw new Error('spawn xdg-open ENOENT');
      },
    });
    expect((await byHand)?.status).toBe(200);
    expect(result.accessToken).toBe('eyJ.access');
  });
});

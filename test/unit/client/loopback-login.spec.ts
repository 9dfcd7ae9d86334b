import { createHash } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, connect } from 'node:net';
import {
  AccessDeniedError,
  DeviceAuthClientError,
  LoginCancelledError,
  LoginResult,
  LoginTimeoutError,
  loopbackLogin,
  LoopbackLoginOptions,
  OAuthResponseError,
  ServerUnreachableError,
} from '../../../lib/client';
import { s256Challenge } from '../../../lib/protocol/pkce';

const CLIENT_ID = 'acme-cli';
const SCOPE = 'user:read listings:read';
const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const TOKENS = { access_token: 'eyJ.access', token_type: 'Bearer', expires_in: 900, refresh_token: 'brt_refresh', scope: 'user:read' };

/**
 * A stand-in authorization server: the metadata document and the token endpoint. The test itself
 * plays the authorization endpoint and the browser (see `answerTo`).
 */
interface FakeServer {
  issuer: string;
  /** Merged over the full metadata; `undefined` removes a member. */
  metadata: Record<string, unknown>;
  /** What the token endpoint answers. */
  token: { status: number; body: Record<string, unknown> };
  /** Every request it received, e.g. `GET /.well-known/oauth-authorization-server`. */
  requests: string[];
  /** The User-Agent of each of them. */
  userAgents: (string | undefined)[];
  /** The forms posted to the token endpoint. */
  tokenForms: Record<string, string>[];
  close(): Promise<void>;
}

async function startFakeServer(): Promise<FakeServer> {
  const fake = {
    metadata: {},
    token: { status: 200, body: TOKENS },
    requests: [],
    userAgents: [],
    tokenForms: [],
  } as unknown as FakeServer;
  const server: Server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    fake.requests.push(`${request.method} ${request.url}`);
    fake.userAgents.push(request.headers['user-agent']);
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(JSON.stringify(body));
    };
    if (request.method === 'GET' && request.url === '/.well-known/oauth-authorization-server') {
      return json(200, {
        issuer: fake.issuer,
        authorization_endpoint: `${fake.issuer}/o/authorize/`,
        token_endpoint: `${fake.issuer}/o/token/`,
        authorization_response_iss_parameter_supported: true,
        ...fake.metadata,
      });
    }
    if (request.method === 'POST' && request.url === '/o/token/') {
      let body = '';
      for await (const chunk of request) body += chunk;
      fake.tokenForms.push(Object.fromEntries(new URLSearchParams(body)));
      return json(fake.token.status, fake.token.body);
    }
    json(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return fake;
}

/** The redirect the authorization endpoint would send the browser to for this request: `redirect_uri?…`. */
function answerTo(authorizeUrl: string, fields: Record<string, string>): string {
  const back = new URL(new URL(authorizeUrl).searchParams.get('redirect_uri') as string);
  for (const [name, value] of Object.entries(fields)) back.searchParams.set(name, value);
  return back.toString();
}

/** `state` and `iss` as the real server would send them back for this request. */
const echoOf = (server: FakeServer, authorizeUrl: string) => ({
  state: new URL(authorizeUrl).searchParams.get('state') as string,
  iss: server.issuer,
});

interface Page {
  status: number;
  cacheControl: string | null;
  text: string;
}

/** Opens a URL as the browser does, and reads the page. */
async function browse(url: string, init?: RequestInit): Promise<Page> {
  const response = await fetch(url, init);
  return { status: response.status, cacheControl: response.headers.get('cache-control'), text: await response.text() };
}

/** Opens a URL as a browser does, and keeps the whole answer. */
async function browseFully(url: string, acceptLanguage?: string): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(url, { headers: acceptLanguage ? { 'accept-language': acceptLanguage } : {} });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** Whether anything still listens on the loopback port. */
function connectTo(port: number): Promise<'connected' | string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe('loopbackLogin', () => {
  let server: FakeServer;
  beforeEach(async () => {
    server = await startFakeServer();
  });
  afterEach(() => server.close());

  /**
   * Runs a login whose `openBrowser` is the test's `browser`, and waits for both. A browser that
   * fails ends the login at once and shows its own error; a login that hangs ends at `timeoutMs`
   * (2 s here) instead of Jest's timeout.
   */
  async function login(browser: (url: string) => unknown, options: Partial<LoopbackLoginOptions> = {}) {
    const shown: string[] = [];
    const browserFailed = new AbortController();
    let browsing: Promise<unknown> = Promise.resolve();
    const outcome = await loopbackLogin({
      issuer: server.issuer,
      clientId: CLIENT_ID,
      scope: SCOPE,
      onUrl: (url) => {
        shown.push(url);
      },
      openBrowser: (url) => {
        browsing = Promise.resolve(browser(url));
        browsing.catch(() => browserFailed.abort());
      },
      signal: browserFailed.signal,
      timeoutMs: 2000,
      now: () => NOW,
      ...options,
    }).then(
      (result) => ({ result, error: undefined }),
      (error: unknown) => ({ result: undefined, error }),
    );
    await browsing;
    const port = shown.length > 0 ? Number(new URL(new URL(shown[0]).searchParams.get('redirect_uri') as string).port) : undefined;
    return { ...outcome, shown, port };
  }

  it('sends the browser to the authorization endpoint with a state and an S256 challenge, then redeems the code with its verifier', async () => {
    const pages: Page[] = [];
    const opened: string[] = [];
    const { result, error, shown, port } = await login(async (url) => {
      opened.push(url);
      pages.push(await browse(answerTo(url, { code: 'the-code', ...echoOf(server, url) })));
    });
    expect(error).toBeUndefined();

    // The user saw the URL the browser was sent to.
    expect(opened).toEqual(shown);
    const authorize = new URL(shown[0]);
    expect(authorize.origin + authorize.pathname).toBe(`${server.issuer}/o/authorize/`);
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
    expect(server.tokenForms).toEqual([
      {
        grant_type: 'authorization_code',
        code: 'the-code',
        redirect_uri: query.redirect_uri,
        code_verifier: expect.stringMatching(/^[A-Za-z0-9\-._~]{43,128}$/),
        client_id: CLIENT_ID,
      },
    ]);
    expect(s256Challenge(server.tokenForms[0].code_verifier)).toBe(query.code_challenge);

    expect(result).toEqual<LoginResult>({
      accessToken: 'eyJ.access',
      refreshToken: 'brt_refresh',
      scope: 'user:read',
      expiresAt: NOW + 900_000,
      metadata: expect.objectContaining({ issuer: server.issuer, token_endpoint: `${server.issuer}/o/token/` }),
    });
    expect(pages).toEqual([
      { status: 200, cacheControl: 'no-store', text: expect.stringContaining('You can close this tab and return to your terminal') },
    ]);
    expect(await connectTo(port as number)).toBe('ECONNREFUSED');
  });

  it('the tab says "Signed in" styled like the module’s pages, self-contained, in German when the browser prefers it', async () => {
    const answers: Awaited<ReturnType<typeof browseFully>>[] = [];
    const { result } = await login(async (url) => {
      const callback = new URL(answerTo(url, { code: 'the-code', ...echoOf(server, url) }));
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
    const { result } = await login((url) => browse(answerTo(url, { code: 'the-code', ...echoOf(server, url) })), {
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
    expect(server.requests).toEqual(['GET /.well-known/oauth-authorization-server', 'POST /o/token/']);
    expect(server.userAgents).toEqual(Array(2).fill(expect.stringMatching(/^acme-cli\/1\.4\.0 nest-device-auth\/\S+ node\/\S+ \w+$/)));
  });

  it('a server that is down: ServerUnreachableError naming it, and no listener left', async () => {
    const { issuer } = server;
    await server.close();
    const { error, shown } = await login(jest.fn());
    expect(error).toBeInstanceOf(ServerUnreachableError);
    expect((error as Error).message).toBe(`Cannot reach ${issuer}: is the server running?`);
    expect(shown).toEqual([]);
    server = await startFakeServer(); // for afterEach
  });

  it('answers only GET /callback: other paths and methods get 404, and the login goes on', async () => {
    const pages: Page[] = [];
    const { result } = await login(async (url) => {
      const callback = new URL(answerTo(url, { code: 'the-code', ...echoOf(server, url) }));
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
      const echo = echoOf(server, url);
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
    expect(server.tokenForms.map((form) => form.code)).toEqual(['the-code']);
    expect(result?.accessToken).toBe('eyJ.access');
  });

  it('a denial in the browser rejects with AccessDeniedError, says so in the tab, and redeems nothing', async () => {
    const pages: Page[] = [];
    const { error, port } = await login(async (url) => {
      pages.push(await browse(answerTo(url, { error: 'access_denied', ...echoOf(server, url) })));
    });
    expect(error).toBeInstanceOf(AccessDeniedError);
    expect(pages).toEqual([{ status: 400, cacheControl: 'no-store', text: expect.stringContaining('The login was denied') }]);
    expect(server.tokenForms).toEqual([]);
    expect(await connectTo(port as number)).toBe('ECONNREFUSED');
  });

  it('another error in the answer rejects with OAuthResponseError carrying error and error_description, never shown in the page', async () => {
    const pages: Page[] = [];
    const { error } = await login(async (url) => {
      const fields = { error: 'invalid_scope', error_description: '<script>alert(1)</script> is unknown', ...echoOf(server, url) };
      pages.push(await browse(answerTo(url, fields)));
    });
    expect(error).toBeInstanceOf(OAuthResponseError);
    expect(error).toMatchObject({ error: 'invalid_scope', description: '<script>alert(1)</script> is unknown', status: undefined });
    expect(pages[0].status).toBe(400);
    expect(pages[0].text).toContain('Login failed');
    expect(pages[0].text).not.toContain('script');
  });

  describe('the iss parameter (RFC 9207)', () => {
    it('an answer naming another issuer is refused (a mix-up attack), error or not', async () => {
      for (const fields of [{ code: 'the-code' }, { error: 'access_denied' }] as Record<string, string>[]) {
        const { error } = await login((url) =>
          browse(answerTo(url, { ...fields, ...echoOf(server, url), iss: 'https://attacker.example' })),
        );
        expect(error).toBeInstanceOf(DeviceAuthClientError);
        expect((error as Error).message).toBe(`The authorization response names issuer https://attacker.example, not ${server.issuer}`);
      }
      expect(server.tokenForms).toEqual([]);
    });

    it('an answer without iss is refused when the metadata promises it, and taken when it does not', async () => {
      const withoutIss = (url: string) => browse(answerTo(url, { code: 'the-code', state: echoOf(server, url).state }));
      const refused = await login(withoutIss);
      expect((refused.error as Error).message).toBe(`The authorization response has no iss, though ${server.issuer} promises one`);

      server.metadata = { authorization_response_iss_parameter_supported: undefined };
      const taken = await login(withoutIss);
      expect(taken.result?.accessToken).toBe('eyJ.access');
    });
  });

  it('a code the token endpoint refuses rejects with its OAuthResponseError, and the listener is closed', async () => {
    server.token = { status: 400, body: { error: 'invalid_grant', error_description: 'The code has expired' } };
    const { error, port } = await login((url) => browse(answerTo(url, { code: 'the-code', ...echoOf(server, url) })));
    expect(error).toBeInstanceOf(OAuthResponseError);
    expect(error).toMatchObject({ error: 'invalid_grant', description: 'The code has expired', status: 400 });
    expect(await connectTo(port as number)).toBe('ECONNREFUSED');
  });

  it('a server without authorization_endpoint is a clear error, before anything listens or a browser opens', async () => {
    server.metadata = { authorization_endpoint: undefined };
    const browser = jest.fn();
    const { error, shown } = await login(browser);
    expect(error).toBeInstanceOf(DeviceAuthClientError);
    expect((error as Error).message).toBe(
      'The server does not offer the authorization code grant (its metadata has no authorization_endpoint)',
    );
    expect(shown).toEqual([]);
    expect(browser).not.toHaveBeenCalled();
  });

  it('when no browser can be opened, the user opens the URL shown by onUrl and the login completes', async () => {
    let byHand: Promise<Page> | undefined;
    const result = await loopbackLogin({
      issuer: server.issuer,
      clientId: CLIENT_ID,
      onUrl: (url) => {
        byHand = browse(answerTo(url, { code: 'the-code', ...echoOf(server, url) }));
      },
      openBrowser: () => {
        throw new Error('spawn xdg-open ENOENT');
      },
    });
    expect((await byHand)?.status).toBe(200);
    expect(result.accessToken).toBe('eyJ.access');
  });

  it('times out with LoginTimeoutError when the browser never comes back, and stops listening', async () => {
    const { error, port } = await login(() => undefined, { timeoutMs: 300 });
    expect(error).toBeInstanceOf(LoginTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 300 });
    expect(await connectTo(port as number)).toBe('ECONNREFUSED');
  });

  describe('cancelled through its signal', () => {
    it('while waiting for the browser: LoginCancelledError, and the listener is closed', async () => {
      const controller = new AbortController();
      const { error, port } = await login(() => controller.abort(), { signal: controller.signal });
      expect(error).toBeInstanceOf(LoginCancelledError);
      expect(await connectTo(port as number)).toBe('ECONNREFUSED');
      expect(server.tokenForms).toEqual([]);
    });

    it('during the token request, with a fetch of its own that reports the abort as its AbortError: LoginCancelledError', async () => {
      const controller = new AbortController();
      const fetchOfItsOwn: typeof fetch = async (input, init) => {
        if (!String(input).endsWith('/o/token/')) return fetch(input, init);
        const aborted = new Promise<never>((_resolve, reject) =>
          init?.signal?.addEventListener('abort', () => reject(new DOMException('This operation was aborted', 'AbortError'))),
        );
        controller.abort(); // Ctrl-C while the code is being redeemed
        return aborted;
      };
      const { error } = await login((url) => browse(answerTo(url, { code: 'the-code', ...echoOf(server, url) })), {
        signal: controller.signal,
        fetch: fetchOfItsOwn,
      });
      expect(error).toBeInstanceOf(LoginCancelledError);
    });

    it('before it starts: LoginCancelledError without a request or a listener', async () => {
      const { error, shown } = await login(jest.fn(), { signal: AbortSignal.abort() });
      expect(error).toBeInstanceOf(LoginCancelledError);
      expect(server.requests).toEqual([]);
      expect(shown).toEqual([]);
    });
  });
});

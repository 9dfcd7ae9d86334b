import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, connect } from 'node:net';
import { loopbackLogin, LoopbackLoginOptions } from '../../../lib/client';

export const CLIENT_ID = 'acme-cli';
export const SCOPE = 'user:read listings:read';
export const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const TOKENS = { access_token: 'eyJ.access', token_type: 'Bearer', expires_in: 900, refresh_token: 'brt_refresh', scope: 'user:read' };

/**
 * A stand-in authorization server: the metadata document and the token endpoint. The test itself
 * plays the authorization endpoint and the browser (see `answerTo`).
 */
export interface FakeServer {
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

export async function startFakeServer(): Promise<FakeServer> {
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
export function answerTo(authorizeUrl: string, fields: Record<string, string>): string {
  const back = new URL(new URL(authorizeUrl).searchParams.get('redirect_uri') as string);
  for (const [name, value] of Object.entries(fields)) back.searchParams.set(name, value);
  return back.toString();
}

/** `state` and `iss` as the real server would send them back for this request. */
export const echoOf = (server: FakeServer, authorizeUrl: string) => ({
  state: new URL(authorizeUrl).searchParams.get('state') as string,
  iss: server.issuer,
});

export interface Page {
  status: number;
  cacheControl: string | null;
  text: string;
}

/** Opens a URL as the browser does, and reads the page. */
export async function browse(url: string, init?: RequestInit): Promise<Page> {
  const response = await fetch(url, init);
  return { status: response.status, cacheControl: response.headers.get('cache-control'), text: await response.text() };
}

/** Whether anything still listens on the loopback port. */
export function connectTo(port: number): Promise<'connected' | string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** The fake server of the current test, and a login against it. */
export interface FakeServerFixture {
  /** A fresh one for each test, closed after it; a test that closes it early puts another here. */
  server: FakeServer;
  login: ReturnType<typeof loginAgainst>;
}

/** Registers the hooks that start a fake server before each test and close it after. */
export function useFakeServer(): FakeServerFixture {
  const fixture = { login: loginAgainst(() => fixture.server) } as FakeServerFixture;
  beforeEach(async () => {
    fixture.server = await startFakeServer();
  });
  afterEach(() => fixture.server.close());
  return fixture;
}

/**
 * Runs a login whose `openBrowser` is the test's `browser`, and waits for both. A browser that
 * fails ends the login at once and shows its own error; a login that hangs ends at `timeoutMs`
 * (2 s here) instead of Jest's timeout.
 */
function loginAgainst(currentServer: () => FakeServer) {
  return async function login(browser: (url: string) => unknown, options: Partial<LoopbackLoginOptions> = {}) {
    const shown: string[] = [];
    const browserFailed = new AbortController();
    let browsing: Promise<unknown> = Promise.resolve();
    const outcome = await loopbackLogin({
      issuer: currentServer().issuer,
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
  };
}

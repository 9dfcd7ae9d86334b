import { authorizationUrl, createAuthorizationSecrets } from './authorization-request';
import { clientFetch } from './client-fetch';
import { discover, endpointOf } from './discovery';
import { LoginCancelledError, LoginTimeoutError } from './errors';
import { LoopbackListener } from './loopback-listener';
import { openSystemBrowser } from './open-browser';
import { LoginResult, requestTokens } from './token-endpoint';

const DEFAULT_TIMEOUT_MS = 5 * 60_000;

export interface LoopbackLoginOptions {
  issuer: string;
  /** A public client registered with the authorization_code grant and `http://127.0.0.1/callback` (any port). */
  clientId: string;
  /** Space-delimited scopes; the client's default when absent. */
  scope?: string;
  /**
   * Shows the authorization URL, e.g. "If your browser does not open, visit: …", and when the login
   * gives up (`timeoutMs` from now), for a countdown. Always called, before `openBrowser`, because a
   * browser may fail to open without anyone knowing (SSH, containers).
   */
  onUrl: (url: string, expiresAt: Date) => void | Promise<void>;
  /**
   * Opens the URL in a browser. Default: the system browser (`open` on macOS, `rundll32
   * url.dll,FileProtocolHandler` on Windows, `xdg-open` elsewhere). Not awaited; its failures are
   * ignored, since the user has the URL from `onUrl`. Pass `() => {}` to never open one.
   */
  openBrowser?: (url: string) => void | Promise<void>;
  /** The whole login must finish within this; then LoginTimeoutError. Default 5 minutes. */
  timeoutMs?: number;
  /** Cancels the login: the listener closes and LoginCancelledError is thrown. */
  signal?: AbortSignal;
  /** The CLI's product token, e.g. `acme-cli/1.4.0`, sent in the User-Agent of every request (see `deviceLogin`). */
  userAgent?: string;
  /** For tests and special environments: Node's fetch and Date.now by default. */
  fetch?: typeof fetch;
  now?: () => number;
}

/**
 * The authorization code flow of a native app (RFC 8252): discovers the endpoints, listens on
 * `http://127.0.0.1:{free port}/callback`, sends the user's browser to the authorization endpoint
 * with a state and a PKCE S256 challenge (RFC 7636), waits for the answer carrying that state (and
 * the server's `iss`, RFC 9207), then redeems the code with its verifier. The listener is closed
 * however the login ends.
 */
export async function loopbackLogin(options: LoopbackLoginOptions): Promise<LoginResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // Wall time, as the timer below runs on it (not the `now` that anchors token expiry).
  const expiresAt = new Date(Date.now() + timeoutMs);
  // One signal for every step; its reason is the error the caller gets.
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new LoginTimeoutError(timeoutMs)), timeoutMs);
  const cancel = (): void => deadline.abort(new LoginCancelledError());
  if (options.signal?.aborted) cancel();
  else options.signal?.addEventListener('abort', cancel, { once: true });
  try {
    return await runLoopbackLogin(options, expiresAt, deadline.signal);
  } catch (error) {
    // An abort during a request surfaces as fetch's AbortError: report why it was aborted instead.
    throw deadline.signal.aborted ? deadline.signal.reason : error;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', cancel);
  }
}

async function runLoopbackLogin(options: LoopbackLoginOptions, expiresAt: Date, signal: AbortSignal): Promise<LoginResult> {
  const fetchImpl = clientFetch(options.fetch ?? fetch, options.userAgent);
  const now = options.now ?? Date.now;
  signal.throwIfAborted();
  const metadata = await discover(options.issuer, fetchImpl, signal);
  const authorizationEndpoint = endpointOf(metadata, 'authorization_endpoint', 'the authorization code grant');
  const secrets = createAuthorizationSecrets();
  const listener = await LoopbackListener.start({
    state: secrets.state,
    issuer: metadata.issuer,
    issuerRequired: metadata.authorization_response_iss_parameter_supported === true,
  });
  let code: string;
  try {
    const url = authorizationUrl(
      { authorizationEndpoint, clientId: options.clientId, redirectUri: listener.redirectUri, scope: options.scope },
      secrets,
    );
    await options.onUrl(url, expiresAt);
    const openBrowser = options.openBrowser ?? openSystemBrowser;
    void Promise.resolve()
      .then(() => openBrowser(url))
      .catch(() => undefined);
    code = await listener.waitForCode(signal);
  } finally {
    await listener.close();
  }
  const tokens = await requestTokens(
    metadata.token_endpoint,
    {
      grant_type: 'authorization_code',
      code,
      redirect_uri: listener.redirectUri,
      code_verifier: secrets.codeVerifier,
      client_id: options.clientId,
    },
    now(),
    fetchImpl,
    signal,
  );
  return { ...tokens, metadata };
}

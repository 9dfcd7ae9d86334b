import { clientFetch } from './client-fetch';
import { discover, endpointOf } from './discovery';
import { AccessDeniedError, DeviceCodeExpiredError, LoginCancelledError, OAuthResponseError, ServerUnreachableError } from './errors';
import { LoginResult, postForm, requestTokens } from './token-endpoint';

const DEVICE_CODE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code';
/** RFC 8628 §3.5: without an interval, poll every 5 s; every slow_down adds 5 s. */
const DEFAULT_INTERVAL_SECONDS = 5;
const SLOW_DOWN_STEP_SECONDS = 5;

/** What the user must see to approve the login. */
export interface DevicePrompt {
  userCode: string;
  verificationUri: string;
  /** The page with the code filled in: what a QR code should encode. */
  verificationUriComplete?: string;
  /** When the code stops working. */
  expiresAt: Date;
}

export interface DeviceLoginOptions {
  issuer: string;
  clientId: string;
  /** Space-delimited scopes; the client's default when absent. */
  scope?: string;
  /** Shows the prompt (see `createTerminalPrompt`). */
  onPrompt: (prompt: DevicePrompt) => void | Promise<void>;
  /** Cancels the login: polling stops and LoginCancelledError is thrown. */
  signal?: AbortSignal;
  /**
   * The CLI's product token, e.g. `acme-cli/1.4.0`: every request says
   * `User-Agent: acme-cli/1.4.0 nest-device-auth/<version> node/<version> <platform>`, and the
   * confirmation page shows the user which program asks.
   */
  userAgent?: string;
  /** For tests and special environments: Node's fetch, Date.now and setTimeout by default. */
  fetch?: typeof fetch;
  now?: () => number;
  sleep?: (milliseconds: number, signal?: AbortSignal) => Promise<void>;
}

interface DeviceAuthorizationBody {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete?: string;
  expires_in: number;
  interval?: number;
}

function abortableSleep(milliseconds: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new LoginCancelledError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new LoginCancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * RFC 8628 from the device's side: discovers the endpoints, starts a device authorization, hands
 * the prompt to `onPrompt`, and polls at the server's interval (5 s more after every slow_down)
 * until the user approves, denies, or the code expires.
 */
export async function deviceLogin(options: DeviceLoginOptions): Promise<LoginResult> {
  try {
    return await runDeviceLogin(options);
  } catch (error) {
    // An abort during a request surfaces as fetch's AbortError: report every cancellation alike.
    if (options.signal?.aborted) throw error instanceof LoginCancelledError ? error : new LoginCancelledError();
    throw error;
  }
}

async function runDeviceLogin(options: DeviceLoginOptions): Promise<LoginResult> {
  const fetchImpl = clientFetch(options.fetch ?? fetch, options.userAgent);
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const { signal } = options;
  const cancelled = (): boolean => signal?.aborted === true;

  if (cancelled()) throw new LoginCancelledError();
  const metadata = await discover(options.issuer, fetchImpl, signal);
  const start = await postForm<DeviceAuthorizationBody>(
    endpointOf(metadata, 'device_authorization_endpoint', 'the device authorization grant'),
    { client_id: options.clientId, ...(options.scope ? { scope: options.scope } : {}) },
    fetchImpl,
    signal,
  );
  const expiresAt = now() + start.expires_in * 1000;
  await options.onPrompt({
    userCode: start.user_code,
    verificationUri: start.verification_uri,
    verificationUriComplete: start.verification_uri_complete,
    expiresAt: new Date(expiresAt),
  });

  let interval = start.interval ?? DEFAULT_INTERVAL_SECONDS;
  for (;;) {
    if (cancelled()) throw new LoginCancelledError();
    await sleep(interval * 1000, signal);
    if (cancelled()) throw new LoginCancelledError();
    if (now() >= expiresAt) throw new DeviceCodeExpiredError();
    try {
      const tokens = await requestTokens(
        metadata.token_endpoint,
        { grant_type: DEVICE_CODE_GRANT_TYPE, device_code: start.device_code, client_id: options.clientId },
        now(),
        fetchImpl,
        signal,
      );
      return { ...tokens, metadata };
    } catch (error) {
      if (cancelled()) throw new LoginCancelledError();
      // The answer was lost on the way (the server restarted, the network dropped): polling again
      // redeems the code, or collects the tokens of the exchange that did happen.
      if (isLostAnswer(error)) continue;
      if (!(error instanceof OAuthResponseError)) throw error;
      // The server is away for a moment (a database restart): the device code waits in its database.
      if (error.error === 'authorization_pending' || error.error === 'temporarily_unavailable') continue;
      if (error.error === 'slow_down') {
        interval += SLOW_DOWN_STEP_SECONDS;
        continue;
      }
      if (error.error === 'access_denied') throw new AccessDeniedError();
      if (error.error === 'expired_token') throw new DeviceCodeExpiredError();
      throw error;
    }
  }
}

/** fetch's own failure (no connection, a reset mid-answer), or a gateway's non-JSON error page while the server restarts. */
function isLostAnswer(error: unknown): boolean {
  if (error instanceof ServerUnreachableError || error instanceof TypeError) return true;
  return error instanceof OAuthResponseError && error.error === 'invalid_response' && (error.status ?? 0) >= 500;
}

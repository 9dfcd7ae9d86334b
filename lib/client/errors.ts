/** Base of every error the client kit throws on purpose. */
export class DeviceAuthClientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * The server answered with an OAuth error we do not handle: from an endpoint (RFC 6749 §5.2, with
 * its HTTP `status`), or through the browser's redirect (§4.1.2.1, no status).
 */
export class OAuthResponseError extends DeviceAuthClientError {
  constructor(
    readonly error: string,
    readonly description: string | undefined,
    readonly status?: number,
  ) {
    super(description ? `${error}: ${description}` : error);
  }
}

/** The user clicked Deny in the browser. */
export class AccessDeniedError extends DeviceAuthClientError {
  constructor() {
    super('The request was denied in the browser');
  }
}

/** The code expired before the user approved it: start a new login. */
export class DeviceCodeExpiredError extends DeviceAuthClientError {
  constructor() {
    super('The code expired before it was approved; run the login again');
  }
}

/** The browser did not come back to the CLI in time: start a new login. */
export class LoginTimeoutError extends DeviceAuthClientError {
  constructor(readonly timeoutMs: number) {
    super(`No answer from the browser within ${Math.round(timeoutMs / 1000)} s; run the login again`);
  }
}

/** The login was cancelled through its AbortSignal. */
export class LoginCancelledError extends DeviceAuthClientError {
  constructor() {
    super('The login was cancelled');
  }
}

/** No usable session: the store is empty, or the server refused the refresh token. Log in again. */
export class LoginRequiredError extends DeviceAuthClientError {
  constructor(reason = 'You are not logged in') {
    super(reason);
  }
}

/** No connection to the server at all (refused, no such host, TLS failure): Node's bare "fetch failed", named. */
export class ServerUnreachableError extends DeviceAuthClientError {
  constructor(
    readonly origin: string,
    failure: unknown,
  ) {
    super(`Cannot reach ${origin}: ${hintFor(failure)}`);
    this.cause = failure;
  }
}

/** What to check, from the system's error code (undici puts it on the cause of its TypeError). */
function hintFor(failure: unknown): string {
  const reason = (failure as { cause?: { code?: string; message?: string } }).cause;
  if (reason?.code === 'ECONNREFUSED') return 'is the server running?';
  if (reason?.code === 'ENOTFOUND' || reason?.code === 'EAI_AGAIN') return 'is the address right, and are you online?';
  return reason?.message ?? 'the connection failed';
}

import { timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccessDeniedError, DeviceAuthClientError, OAuthResponseError } from './errors';
import { loopbackPage, LoopbackPageName } from './loopback-page';

/** What an authorization response must carry to count as the answer to this login. */
export interface CallbackExpectations {
  state: string;
  issuer: string;
  /** The server promised `iss` on every response (RFC 9207 §3), so one without it is refused. */
  issuerRequired: boolean;
}

type Outcome = { code: string } | { error: Error };

const CALLBACK_PATH = '/callback';

const sameSecret = (a: string, b: string): boolean => {
  const [left, right] = [Buffer.from(a), Buffer.from(b)];
  return left.length === right.length && timingSafeEqual(left, right);
};

/** Judges one callback: `undefined` when its state is not this login's (a stale tab, or a forgery). */
function outcomeOf(query: URLSearchParams, expected: CallbackExpectations): Outcome | undefined {
  const state = query.get('state');
  if (state === null || !sameSecret(state, expected.state)) return undefined;
  // RFC 9207 §2.4: checked before anything else in the response, the error included.
  const iss = query.get('iss');
  if (iss === null && expected.issuerRequired) {
    return { error: new DeviceAuthClientError(`The authorization response has no iss, though ${expected.issuer} promises one`) };
  }
  if (iss !== null && iss !== expected.issuer) {
    return { error: new DeviceAuthClientError(`The authorization response names issuer ${iss}, not ${expected.issuer}`) };
  }
  const error = query.get('error');
  if (error === 'access_denied') return { error: new AccessDeniedError() };
  if (error !== null) return { error: new OAuthResponseError(error, query.get('error_description') ?? undefined) };
  const code = query.get('code');
  return code ? { code } : { error: new DeviceAuthClientError('The authorization response carries neither a code nor an error') };
}

function pageOf(outcome: Outcome): LoopbackPageName {
  if ('code' in outcome) return 'signedIn';
  return outcome.error instanceof AccessDeniedError ? 'denied' : 'failed';
}

/** Answers the browser in its language (English or German). */
function send(request: IncomingMessage, response: ServerResponse, name: LoopbackPageName, sent?: () => void): void {
  const page = loopbackPage(name, request.headers['accept-language']);
  response.writeHead(page.status, page.headers);
  response.end(page.body, sent);
}

/**
 * The redirect URI of a native app (RFC 8252 §7.3): an HTTP listener on 127.0.0.1, on a port the
 * system picks, that waits for the one authorization response carrying this login's state.
 */
export class LoopbackListener {
  private settle!: (outcome: Outcome) => void;
  /** Never rejects, so nothing goes unhandled while no one waits yet. */
  private readonly outcome = new Promise<Outcome>((resolve) => (this.settle = resolve));

  private constructor(
    private readonly server: Server,
    readonly redirectUri: string,
  ) {}

  static async start(expected: CallbackExpectations): Promise<LoopbackListener> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // The IP literal, not `localhost`: that name may resolve to ::1 or elsewhere (RFC 8252 §8.3).
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    const listener = new LoopbackListener(server, `http://127.0.0.1:${port}${CALLBACK_PATH}`);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => listener.answer(request, response, expected));
    return listener;
  }

  /** The code of this login's answer; throws the error it carried, or `signal.reason` on abort. */
  async waitForCode(signal: AbortSignal): Promise<string> {
    const outcome = await new Promise<Outcome>((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason);
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      void this.outcome.then((settled) => {
        signal.removeEventListener('abort', onAbort);
        resolve(settled);
      });
    });
    if ('error' in outcome) throw outcome.error;
    return outcome.code;
  }

  /** Stops listening and drops every connection (a browser keeps them alive); resolves once the port is free. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private answer(request: IncomingMessage, response: ServerResponse, expected: CallbackExpectations): void {
    const url = new URL(request.url ?? '/', this.redirectUri);
    if (request.method !== 'GET' || url.pathname !== CALLBACK_PATH) return send(request, response, 'notFound');
    const outcome = outcomeOf(url.searchParams, expected);
    if (!outcome) return send(request, response, 'notThisLogin');
    // Settled once the page is out, so closing the listener cannot cut it off.
    send(request, response, pageOf(outcome), () => this.settle(outcome));
  }
}

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What a native app listens with for the code flow's answer (RFC 8252 §7.3): a web server on
 * 127.0.0.1 whose `/callback` receives the browser after consent and says so on a page.
 */
export class LoopbackApp {
  private readonly arrivals: URLSearchParams[] = [];
  private waiting?: (parameters: URLSearchParams) => void;
  private readonly server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    // Anything else (a browser's favicon request) gets an empty answer, not an error to report.
    if (url.pathname !== '/callback') return void response.writeHead(204).end();
    response
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end('<!doctype html><title>Done</title><p>Signed in: you can close this page.</p>');
    this.arrived(url.searchParams);
  });

  static async start(): Promise<LoopbackApp> {
    const app = new LoopbackApp();
    await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
    return app;
  }

  /** The redirect URI the app registers (any loopback port matches, RFC 8252 §7.3). */
  get redirectUri(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/callback`;
  }

  /** The query of the next request to `/callback` (code or error, state, iss). */
  nextCallback(): Promise<URLSearchParams> {
    const arrived = this.arrivals.shift();
    if (arrived) return Promise.resolve(arrived);
    return new Promise((resolve) => (this.waiting = resolve));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private arrived(parameters: URLSearchParams): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting) waiting(parameters);
    else this.arrivals.push(parameters);
  }
}

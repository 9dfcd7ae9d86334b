import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What a native app listens with for the code flow's answer (RFC 8252 §7.3): a web server on
 * 127.0.0.1 whose `/callback` receives the browser after consent and says so on a page.
 */
export class LoopbackApp {
  private readonly arrivals: URLSearchParams[] = [];
  private waiting?: (parameters: URLSearchParams) => void;

  private constructor(
    private readonly server: Server,
    readonly redirectUri: string,
  ) {}

  static async start(): Promise<LoopbackApp> {
    let app: LoopbackApp | undefined;
    const server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      // Anything else (a browser's favicon request) gets an empty answer, not an error to report.
      if (url.pathname !== '/callback') return void response.writeHead(204).end();
      response
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end('<!doctype html><title>Done</title><p>Signed in: you can close this page.</p>');
      app?.arrived(url.searchParams);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    app = new LoopbackApp(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`);
    return app;
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

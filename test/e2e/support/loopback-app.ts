import { LocalWebServer } from './local-web-server';

/**
 * What a native app listens with for the code flow's answer (RFC 8252 §7.3): a web server on
 * 127.0.0.1 whose `/callback` receives the browser after consent and says so on a page.
 */
export class LoopbackApp {
  private readonly web = new LocalWebServer();
  private readonly arrivals: URLSearchParams[] = [];
  private waiting?: (parameters: URLSearchParams) => void;
  /** The redirect URI the app registers (any loopback port matches, RFC 8252 §7.3). */
  redirectUri = '';

  static async start(): Promise<LoopbackApp> {
    const app = new LoopbackApp();
    await app.web.start();
    app.redirectUri = app.web.serve('/callback', (request, response) => {
      response
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end('<!doctype html><title>Done</title><p>Signed in: you can close this page.</p>');
      app.arrived(new URL(request.url ?? '/', 'http://127.0.0.1').searchParams);
    });
    // A browser asks for the page's icon too: an empty answer, not an error for the suite to report.
    app.web.serve('/favicon.ico', (_request, response) => response.writeHead(204).end());
    return app;
  }

  /** The query of the next request to `/callback` (code or error, state, iss). */
  nextCallback(): Promise<URLSearchParams> {
    const arrived = this.arrivals.shift();
    if (arrived) return Promise.resolve(arrived);
    return new Promise((resolve) => (this.waiting = resolve));
  }

  stop(): Promise<void> {
    return this.web.stop();
  }

  private arrived(parameters: URLSearchParams): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting) waiting(parameters);
    else this.arrivals.push(parameters);
  }
}

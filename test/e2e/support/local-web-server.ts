import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Route = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * A web server on 127.0.0.1 that serves what each test puts at a path (documents, redirects,
 * silence…) and counts the connections and requests it gets, so a suite can show what was fetched
 * and what never reached it.
 */
export class LocalWebServer {
  private readonly server: Server;
  private readonly routes = new Map<string, Route>();
  private readonly requests = new Map<string, number>();
  connections = 0;
  origin = '';

  constructor() {
    this.server = createServer((request, response) => {
      // Routed by path: a query (a code-flow callback's code and state) is the route's to read.
      const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
      this.requests.set(path, this.requestsFor(path) + 1);
      const route = this.routes.get(path);
      if (route) route(request, response);
      else response.writeHead(404).end();
    });
    this.server.on('connection', () => this.connections++);
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Serves `route` at `path`; answers with the URL a document there is fetched from. */
  serve(path: string, route: Route): string {
    this.routes.set(path, route);
    return this.origin + path;
  }

  /** Serves a JSON document at `path` (its `client_id` is that URL unless `document` says otherwise). */
  serveDocument(path: string, document: Record<string, unknown>, headers: Record<string, string> = {}): string {
    const url = this.origin + path;
    const body = JSON.stringify({ client_id: url, ...document });
    return this.serve(path, (_request, response) => response.writeHead(200, { 'content-type': 'application/json', ...headers }).end(body));
  }

  requestsFor(path: string): number {
    return this.requests.get(path) ?? 0;
  }
}

import { AddressInfo, connect, createServer, Socket } from 'node:net';

/**
 * A TCP proxy between the app and PostgreSQL that a test cuts and restores, to stage an outage
 * without touching the shared server. The app connects to `url`; the proxy forwards to `target`.
 */
export class TcpProxy {
  private server = createServer();
  private readonly sockets = new Set<Socket>();
  private readonly stranded: Socket[] = [];
  private stalled = false;
  private listeningPort = 0;

  private constructor(private readonly target: { host: string; port: number }) {}

  /** The proxy's port: the same after a restore, so the app's connection string stays valid. */
  get port(): number {
    return this.listeningPort;
  }

  /** Listens on a free loopback port and forwards to the host and port of `targetUrl`. */
  static async start(targetUrl: string): Promise<TcpProxy> {
    const { hostname, port } = new URL(targetUrl);
    const target = { host: hostname || '127.0.0.1', port: Number(port || 5432) };
    const proxy = new TcpProxy(target);
    await proxy.listen(0);
    return proxy;
  }

  /** `targetUrl` with its host and port replaced by the proxy's. */
  url(targetUrl: string): string {
    const url = new URL(targetUrl);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  /** A crashed server or a cut cable: open connections are reset and new ones refused. */
  async cut(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A black hole: open connections and new ones stay up, but no byte gets through either way. */
  stall(): void {
    this.stalled = true;
    for (const socket of this.sockets) socket.pause();
  }

  /**
   * Open connections go silent for good, as when a firewall or NAT forgets them, while new ones get
   * through: only a client that gives up on a silent connection and opens another is served again.
   */
  strand(): void {
    for (const socket of this.sockets) socket.pause();
    // Forgotten, so a later restore does not reset them: they stay open and silent until close().
    this.stranded.push(...this.sockets);
    this.sockets.clear();
  }

  /**
   * The network is back: new connections reach the server again. Connections open during a stall
   * are reset, as TCP connections that outlived a partition usually are.
   */
  async restore(): Promise<void> {
    if (this.stalled) {
      this.stalled = false;
      this.dropConnections();
    }
    if (!this.server.listening) {
      this.server = createServer();
      await this.listen(this.port);
    }
  }

  async close(): Promise<void> {
    for (const socket of this.stranded.splice(0)) socket.destroy();
    this.dropConnections();
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async listen(port: number): Promise<void> {
    this.server.on('connection', (client) => this.forward(client));
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    this.listeningPort = (this.server.address() as AddressInfo).port;
  }

  private forward(client: Socket): void {
    this.track(client);
    if (this.stalled) {
      client.pause();
      return;
    }
    const upstream = connect(this.target);
    this.track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
  }

  private dropConnections(): void {
    // A reset (RST), as a crashed peer sends, on connections still open both ways. One the peer
    // already half-closed is only destroyed: on Node 20, resetting it leaves the event loop spinning.
    for (const socket of this.sockets)
      if (socket.readyState === 'open') socket.resetAndDestroy();
      else socket.destroy();
    this.sockets.clear();
  }
}

import { AddressInfo, Server, Socket, connect, createServer } from 'node:net';

/**
 * What the proxy does with connections:
 * - `forward`: pipe them to the target;
 * - `reset`: drop every open connection and answer new ones with a TCP reset (the target "went away");
 * - `blackhole`: accept new connections and never answer (the target hangs).
 */
export type ProxyMode = 'forward' | 'reset' | 'blackhole';

/**
 * A loopback TCP forwarder a test controls, put between a client and a service (PostgreSQL, an agent) to
 * cut, stall or re-point the link without touching the service itself, which other tests may be using.
 */
export class TcpProxy {
  private mode: ProxyMode = 'forward';
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    private targetPort: number,
    private readonly targetHost: string,
  ) {}

  static async start(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
    const server = createServer();
    const proxy = new TcpProxy(server, targetPort, targetHost);
    server.on('connection', (client) => proxy.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** `service` with its host and port replaced by the proxy's, e.g. a database or agent URL. */
  rewrite(serviceUrl: string): string {
    const url = new URL(serviceUrl);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString().replace(/\/$/, '');
  }

  setMode(mode: ProxyMode): void {
    this.mode = mode;
    if (mode !== 'forward') this.dropAll();
  }

  /** From now on connections go to this port (e.g. a restarted agent); open ones are dropped. */
  retarget(port: number): void {
    this.targetPort = port;
    this.dropAll();
  }

  async close(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    client.on('error', () => undefined);
    if (this.mode === 'reset') {
      client.resetAndDestroy();
      return;
    }
    this.track(client);
    if (this.mode === 'blackhole') return;
    const upstream = connect(this.targetPort, this.targetHost);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    this.track(upstream);
    client.pipe(upstream).pipe(client);
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }

  private dropAll(): void {
    for (const socket of this.sockets) socket.resetAndDestroy();
    this.sockets.clear();
  }
}

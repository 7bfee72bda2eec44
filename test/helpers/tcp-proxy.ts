import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of one port that can be switched to swallow: while swallowing, every byte
 * either way is read and dropped, and every socket stays open, as on a link whose NAT entry timed
 * out (a half-open connection). New connections are accepted and swallowed alike.
 */
export class TcpProxy {
  swallowing = false;

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly sockets: Set<Socket>,
  ) {}

  static async start(targetPort: number): Promise<TcpProxy> {
    const sockets = new Set<Socket>();
    let proxy: TcpProxy | null = null;
    const server = createServer((client) => {
      const upstream = createConnection({ port: targetPort, host: '127.0.0.1' });
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.on('data', (d) => void (proxy?.swallowing || upstream.write(d)));
      upstream.on('data', (d) => void (proxy?.swallowing || client.write(d)));
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxy = new TcpProxy(server, (server.address() as { port: number }).port, sockets);
    return proxy;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Connections open through the proxy (each counts its two sockets once). */
  get connections(): number {
    return this.sockets.size / 2;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

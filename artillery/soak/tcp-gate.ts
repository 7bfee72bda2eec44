import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP relay in front of a server (PostgreSQL here) that can cut every connection and refuse new ones
 * for a while: what the instances see when the database's network goes away.
 */
export class TcpGate {
  private readonly sockets = new Set<Socket>();
  private closedUntil = 0;
  private readonly server: Server;
  port = 0;

  private constructor(
    private readonly targetPort: number,
    private readonly targetHost: string,
  ) {
    this.server = createServer((client) => this.relay(client));
  }

  static async open(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpGate> {
    const gate = new TcpGate(targetPort, targetHost);
    await new Promise<void>((resolve) => gate.server.listen(0, '127.0.0.1', () => resolve()));
    gate.port = (gate.server.address() as { port: number }).port;
    return gate;
  }

  private relay(client: Socket): void {
    if (Date.now() < this.closedUntil) return void client.destroy();
    const upstream = createConnection({ port: this.targetPort, host: this.targetHost });
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  }

  /** Drops every open connection and refuses new ones for `ms`. */
  cut(ms: number): void {
    this.closedUntil = Date.now() + ms;
    for (const s of this.sockets) s.destroy();
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

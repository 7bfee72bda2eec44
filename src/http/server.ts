import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Container } from '../container.js';
import { createApp } from './app.js';

export type RunningServer = { url: string; close(): Promise<void> };

/** Listens on the configured host and port; `close` stops accepting and waits for requests in flight. */
export async function startServer(c: Container, opts: { port?: number; host?: string } = {}): Promise<RunningServer> {
  const app = createApp(c);
  const server: Server = app.listen(opts.port ?? c.config.port, opts.host ?? c.config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  server.keepAliveTimeout = 65_000;
  const { port } = server.address() as AddressInfo;
  const host = (opts.host ?? c.config.host) === '0.0.0.0' ? 'localhost' : (opts.host ?? c.config.host);
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Container } from '../container.js';
import { createApp } from './app.js';

export type RunningServer = {
  url: string;
  /**
   * Graceful stop: stops accepting, closes idle keep-alive sockets at once, lets requests in flight finish
   * (answering `Connection: close`), and after `graceMs` closes whatever socket is still stalled mid-request.
   */
  close(graceMs?: number): Promise<void>;
};

// Slow clients cannot hold a socket for minutes: headers within 10 s, a whole request within 30 s.
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;
// Longer than the usual load balancer idle timeout (60 s), so the balancer closes first.
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** A whole error response in the contract's shape, for the cases Node answers before Koa sees a request. */
function rawError(status: number, reason: string, code: string, detail: string): string {
  const body = JSON.stringify({ error: code, detail, timestamp: new Date().toISOString(), request_id: '', ...(code === 'INVALID_INPUT' ? { fields: [] } : {}) });
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/** Bytes the HTTP parser rejects (an unknown method, a malformed request line, oversized headers, a timeout). */
function clientErrorResponse(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'HPE_INVALID_METHOD':
      return rawError(405, 'Method Not Allowed', 'METHOD_NOT_ALLOWED', 'This method is not supported');
    case 'HPE_HEADER_OVERFLOW':
      return rawError(431, 'Request Header Fields Too Large', 'INVALID_INPUT', 'Request headers are too large');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return rawError(408, 'Request Timeout', 'REQUEST_TIMEOUT', 'The request took too long to arrive');
    default:
      return rawError(400, 'Bad Request', 'INVALID_INPUT', 'Malformed HTTP request');
  }
}

/** Listens on the configured host and port. */
export async function startServer(c: Container, opts: { port?: number; host?: string } = {}): Promise<RunningServer> {
  const server: Server = createServer({ headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: 1000 }, createApp(c).callback());
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // Node answers CONNECT outside the request handler; without a listener it would just drop the socket.
  server.on('connect', (_req, socket) => socket.end(rawError(405, 'Method Not Allowed', 'METHOD_NOT_ALLOWED', 'CONNECT is not supported')));
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) socket.destroy();
    else socket.end(clientErrorResponse(err));
  });
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  server.on('request', (_req, res: ServerResponse) => {
    if (draining) res.setHeader('Connection', 'close');
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });
  server.listen(opts.port ?? c.config.port, opts.host ?? c.config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const host = (opts.host ?? c.config.host) === '0.0.0.0' ? 'localhost' : (opts.host ?? c.config.host);
  return {
    url: `http://${host}:${port}`,
    close: async (graceMs = c.config.shutdownGraceMs) => {
      draining = true;
      c.lifecycle.beginDrain();
      for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const stalled = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearTimeout(stalled);
    },
  };
}

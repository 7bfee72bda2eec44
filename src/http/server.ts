import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Container } from '../container.js';
import { requestListener } from './app.js';

export type RunningServer = {
  url: string;
  /**
   * Graceful stop: stops accepting, closes idle keep-alive sockets at once, lets requests in flight finish
   * (answering `Connection: close`), and after `graceMs` closes the sockets of clients stalled mid-request.
   */
  close(graceMs?: number): Promise<void>;
};

// Slow clients cannot hold a socket for minutes: headers within 10 s, a whole request within 30 s.
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;
// Longer than the usual load balancer idle timeout (60 s), so the balancer closes first.
const KEEP_ALIVE_TIMEOUT_MS = 65_000;
// On shutdown the listener stays open until connections stop arriving for this long (capped by the window).
const ACCEPT_QUIET_MS = 200;
const ACCEPT_WINDOW_MS = 2000;

/** A whole error response in the contract's shape, for the cases Node answers before Koa sees a request. */
function rawError(status: number, reason: string, code: string, detail: string): string {
  const body = JSON.stringify({
    error: code,
    detail,
    timestamp: new Date().toISOString(),
    request_id: '',
    ...(code === 'INVALID_INPUT' ? { fields: [] } : {}),
  });
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

/** Resolves after the event loop has gone round `n` times, polling for I/O (accepts, reads) each time. */
async function eventLoopTurns(n: number): Promise<void> {
  for (let turn = 0; turn < n; turn++) await new Promise((resolve) => setImmediate(resolve));
}

/** Listens on the configured host and port. */
export async function startServer(c: Container, opts: { port?: number; host?: string } = {}): Promise<RunningServer> {
  const answer = requestListener(c);
  const inFlight = new Set<ServerResponse>();
  /** One listener for every response, so that tracking it allocates nothing. */
  function settled(this: ServerResponse): void {
    inFlight.delete(this);
  }
  let draining = false;
  const server: Server = createServer(
    { headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: 1000 },
    (req, res) => {
      if (draining) res.setHeader('Connection', 'close');
      inFlight.add(res);
      res.on('close', settled);
      answer(req, res);
    },
  );
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // Node answers CONNECT outside the request handler; without a listener it would just drop the socket.
  server.on('connect', (_req, socket) =>
    socket.end(rawError(405, 'Method Not Allowed', 'METHOD_NOT_ALLOWED', 'CONNECT is not supported')),
  );
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) socket.destroy();
    else socket.end(clientErrorResponse(err));
  });
  const sockets = new Set<Socket>();
  let lastConnectionAt = 0;
  server.on('connection', (socket: Socket) => {
    lastConnectionAt = Date.now();
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // After the grace: a socket whose request has fully arrived is being answered and may finish (the shutdown
  // deadline bounds it); any other socket is a client stalled mid-request, or idle, and is closed.
  const closeStalled = async () => {
    await eventLoopTurns(3); // read what has arrived first: a request waiting on a busy event loop is not stalled
    const answering = new Set([...inFlight].filter((res) => res.req.complete).map((res) => res.socket));
    for (const socket of sockets) if (!answering.has(socket)) socket.destroy();
  };
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
      // Requests already on the wire are in flight too: closing the listener would reset the connections still in
      // its backlog. Keep accepting until none has arrived for ACCEPT_QUIET_MS (at most ACCEPT_WINDOW_MS), then let
      // the event loop read what they sent before idle sockets are closed.
      const acceptUntil = Date.now() + ACCEPT_WINDOW_MS;
      do await new Promise((resolve) => setTimeout(resolve, ACCEPT_QUIET_MS / 4));
      while (Date.now() - lastConnectionAt < ACCEPT_QUIET_MS && Date.now() < acceptUntil);
      await eventLoopTurns(3);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const stalled = setTimeout(() => void closeStalled(), graceMs);
      await closed;
      clearTimeout(stalled);
    },
  };
}

import cors from '@koa/cors';
import type { Context, Next } from 'koa';

/** What a browser frontend may send, and read back, across origins. */
const CORS = {
  allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
  allowHeaders: ['Content-Type', 'Authorization', 'If-None-Match', 'X-Request-Id'],
  exposeHeaders: [
    'ETag',
    'Retry-After',
    'RateLimit-Limit',
    'RateLimit-Remaining',
    'RateLimit-Reset',
    'X-Request-Id',
    'Content-Disposition',
  ],
  maxAge: 600,
};

/**
 * CORS by @koa/cors: only the configured origins get Access-Control-Allow-Origin (echoed, never
 * `*`); others get no CORS headers. A request without an Origin gets what @koa/cors gives it,
 * `Vary: Origin`, without going through its async frames.
 */
export function corsFor(allowed: readonly string[]) {
  const origins = new Set(allowed);
  const middleware = cors({ ...CORS, origin: (ctx) => (origins.has(ctx.get('Origin')) ? ctx.get('Origin') : '') });
  return (ctx: Context, next: Next): Promise<void> => {
    if (ctx.get('Origin') !== '') return middleware(ctx, next) as Promise<void>;
    ctx.vary('Origin');
    return next();
  };
}

/**
 * The headers `corsFor` gives a GET or HEAD answer (not a preflight), for the answers sent
 * without Koa, as `writeHead` takes them (name, value, name, value…): `Vary: Origin`, and for a
 * configured origin the echoed origin and the exposed headers.
 */
export function simpleCorsHeaders(allowed: readonly string[]): (origin: string | undefined) => readonly string[] {
  const origins = new Set(allowed);
  const exposed = CORS.exposeHeaders.join(',');
  const others = ['Vary', 'Origin'];
  return (origin) =>
    origin !== undefined && origins.has(origin)
      ? ['Vary', 'Origin', 'Access-Control-Allow-Origin', origin, 'Access-Control-Expose-Headers', exposed]
      : others;
}

import type { Context } from 'koa';
import type { CachedBody } from '../infra/cache/cached-body.js';

/** What Koa's `ctx.type` setter would send, without its lookup. */
export const CONTENT_TYPES = {
  'application/json': 'application/json; charset=utf-8',
  'application/pdf': 'application/pdf',
} as const;

/**
 * If-None-Match as RFC 9110 has the origin server evaluate it (weak comparison), whatever the
 * request's Cache-Control says: `fetch()` adds `no-cache` to every conditional request.
 */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === etag || tag === `W/${etag}`;
  });
}

/**
 * Sends cached bytes as they are, with their strong ETag and `Cache-Control: private, no-cache`
 * (the browser keeps it but asks each time); a matching If-None-Match gets 304 and no body.
 */
export function sendCached(ctx: Context, cached: CachedBody, type: 'application/json' | 'application/pdf'): void {
  ctx.set('Cache-Control', 'private, no-cache');
  ctx.set('ETag', cached.etag);
  if (noneMatch(ctx.headers['if-none-match'], cached.etag)) {
    ctx.status = 304;
    return;
  }
  ctx.set('Content-Type', CONTENT_TYPES[type]);
  ctx.body = cached.body;
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from 'koa';
import type { AnalysisCacheKind, CacheService } from '../infra/cache/cache-service.js';
import type { CachedBody } from '../infra/cache/cached-body.js';
import { API_PREFIX, type RouteSpec } from './route.js';

/*
 * How a cached dashboard (or its metrics, recommendations, badges, or a report PDF) is answered:
 * the bytes as they were cached, their strong ETag, `Cache-Control: private, no-cache`, and 304
 * for a matching If-None-Match. Three callers, one answer:
 *   - the held-hits lane (held-hits.ts), below Koa, for a read this process can vouch for at once;
 *   - the cached-reads middleware, in Koa, for the same reads when the lane is not in front;
 *   - the routes, with what the services read through the cache (or loaded).
 */

/** What Koa's `ctx.type` setter would send, without its lookup. */
export const CONTENT_TYPES = {
  'application/json': 'application/json; charset=utf-8',
  'application/pdf': 'application/pdf',
} as const;

const CACHE_CONTROL = 'private, no-cache';

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

/** A canonical (lower-case) analysis id; any other spelling takes the routed path. */
const CANONICAL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ID_LENGTH = 36;

/** A GET or HEAD of a cached read: its route template, and the analysis and kind of cached JSON it answers with. */
export type CachedRead = { route: string; analysisId: string; kind: AnalysisCacheKind };

/**
 * Recognises a GET or HEAD of a route whose 200 is an analysis's cached JSON (`cachedKind`),
 * without a query string and with the id spelled as stored; undefined for anything else.
 */
export function cachedReadOf(
  routes: readonly RouteSpec[],
): (method: string | undefined, url: string | undefined) => CachedRead | undefined {
  // Each template split around its id (`{API_PREFIX}/dashboard/` + `:analysisId` + `/metrics`): what comes
  // before it, then what may follow it, so that a request is matched without building a string.
  const byHead = new Map<string, Map<string, { route: string; kind: AnalysisCacheKind }>>();
  for (const r of routes) {
    if (r.method !== 'get' || !r.cachedKind) continue;
    const route = `${API_PREFIX}${r.path}`;
    const at = route.indexOf(':analysisId');
    const [head, tail] = [route.slice(0, at), route.slice(at + ':analysisId'.length)];
    if (!byHead.has(head)) byHead.set(head, new Map());
    byHead.get(head)!.set(tail, { route, kind: r.cachedKind });
  }
  return (method, url) => {
    if ((method !== 'GET' && method !== 'HEAD') || url === undefined || url.includes('?')) return undefined;
    for (const [head, tails] of byHead) {
      if (!url.startsWith(head)) continue;
      const analysisId = url.slice(head.length, head.length + ID_LENGTH);
      const found = tails.get(url.slice(head.length + ID_LENGTH));
      if (found && CANONICAL_ID.test(analysisId)) return { route: found.route, analysisId, kind: found.kind };
    }
    return undefined;
  };
}

/** The cached answer for a read when this process can vouch for it at once, without any I/O; else undefined. */
export function peekCachedAnswer(cache: CacheService, read: CachedRead): CachedBody | undefined {
  return cache.peekAnalysis<CachedBody>(read.analysisId, read.kind);
}

/**
 * The cached answer for a read when this process can vouch for it without reading Redis: at once
 * (synchronously), or once a lapsed lease is renewed, or from the memory cache. Undefined: the
 * read goes to its route, which reads through the cache or loads.
 */
export function cachedAnswerOf(
  cache: CacheService,
  read: CachedRead,
): CachedBody | Promise<CachedBody | undefined> | undefined {
  return (
    peekCachedAnswer(cache, read) ??
    (cache.holdsTags ? cache.heldAnalysis<CachedBody>(read.analysisId, read.kind) : undefined)
  );
}

/**
 * Sends cached bytes in Koa as they are, with their strong ETag and `Cache-Control: private,
 * no-cache` (the browser keeps it but asks each time); a matching If-None-Match gets 304 and no body.
 */
export function sendCached(ctx: Context, cached: CachedBody, type: keyof typeof CONTENT_TYPES): void {
  ctx.set('Cache-Control', CACHE_CONTROL);
  ctx.set('ETag', cached.etag);
  if (noneMatch(ctx.headers['if-none-match'], cached.etag)) {
    ctx.status = 304;
    return;
  }
  ctx.set('Content-Type', CONTENT_TYPES[type]);
  ctx.body = cached.body;
}

/**
 * What the lane adds to a cached JSON answer, as `writeHead` takes headers (name, value, …), in
 * the order the Koa pipeline sets them: first `before` (request id, CORS, RateLimit-*), then the
 * cache validators and the body's type and length, then `after` (the security headers). `before`
 * is the caller's own array, for this answer only: the rest is added to it.
 */
export type AnswerHeaders = { before: string[]; after: readonly string[] };

/**
 * Writes a cached JSON answer straight to `node:http`, byte for byte what `sendCached` makes Koa
 * send: 200 with the bytes (none for HEAD), or 304 for a matching If-None-Match. Returns the status.
 */
export function writeCachedAnswer(
  req: IncomingMessage,
  res: ServerResponse,
  hit: CachedBody,
  { before: headers, after }: AnswerHeaders,
): 200 | 304 {
  headers.push('Cache-Control', CACHE_CONTROL, 'ETag', hit.etag);
  const status = noneMatch(req.headers['if-none-match'], hit.etag) ? 304 : 200;
  if (status === 200)
    headers.push('Content-Type', CONTENT_TYPES['application/json'], 'Content-Length', String(hit.body.length));
  for (const h of after) headers.push(h);
  res.writeHead(status, headers);
  if (status === 200 && req.method === 'GET') res.end(hit.body);
  else res.end();
  return status;
}

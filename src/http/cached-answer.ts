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

/** A canonical (lower-case) analysis id as a path segment; any other spelling takes the routed path. */
const ID_SEGMENT = /\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?=\/|$)/;

/** A GET or HEAD of a cached read: its route template, and the analysis and kind of cached JSON it answers with. */
export type CachedRead = { route: string; analysisId: string; kind: AnalysisCacheKind };

/**
 * Recognises a GET or HEAD of a route whose 200 is an analysis's cached JSON (`cachedKind`),
 * without a query string and with the id spelled as stored; undefined for anything else.
 */
export function cachedReadOf(
  routes: readonly RouteSpec[],
): (method: string | undefined, url: string | undefined) => CachedRead | undefined {
  // By full template (API_PREFIX + `/dashboard/:analysisId`).
  const kinds = new Map<string, AnalysisCacheKind>();
  for (const r of routes) if (r.method === 'get' && r.cachedKind) kinds.set(`${API_PREFIX}${r.path}`, r.cachedKind);
  return (method, url) => {
    if ((method !== 'GET' && method !== 'HEAD') || url === undefined || url.includes('?')) return undefined;
    const id = ID_SEGMENT.exec(url);
    if (!id) return undefined;
    const route = `${url.slice(0, id.index)}/:analysisId${url.slice(id.index + id[0].length)}`;
    const kind = kinds.get(route);
    return kind && { route, analysisId: id[1]!, kind };
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
 * cache validators and the body's type and length, then `after` (the security headers).
 */
export type AnswerHeaders = { before: readonly string[]; after: readonly string[] };

/**
 * Writes a cached JSON answer straight to `node:http`, byte for byte what `sendCached` makes Koa
 * send: 200 with the bytes (none for HEAD), or 304 for a matching If-None-Match. Returns the status.
 */
export function writeCachedAnswer(
  req: IncomingMessage,
  res: ServerResponse,
  hit: CachedBody,
  headers: AnswerHeaders,
): 200 | 304 {
  const validators = [...headers.before, 'Cache-Control', CACHE_CONTROL, 'ETag', hit.etag];
  if (noneMatch(req.headers['if-none-match'], hit.etag)) {
    res.writeHead(304, [...validators, ...headers.after]);
    res.end();
    return 304;
  }
  const type = ['Content-Type', CONTENT_TYPES['application/json'], 'Content-Length', String(hit.body.length)];
  res.writeHead(200, [...validators, ...type, ...headers.after]);
  if (req.method === 'GET') res.end(hit.body);
  else res.end();
  return 200;
}

import type { Context, Next } from 'koa';
import type { CacheService } from '../../infra/cache/cache-service.js';
import type { CachedBody } from '../../infra/cache/cached-body.js';
import { sendCached } from '../cached-response.js';
import { cachedReadOf } from '../held-hits.js';
import type { RouteSpec } from '../route.js';

/**
 * For a service whose per-IP rate limit counts every request first: a cached read this process
 * can vouch for at once (`CacheService.peekAnalysis`) is answered here, after the limit and before
 * routing, with the bytes, ETag and headers the route's handler would send. Anything else (a miss,
 * a lapsed lease) goes on to the router unchanged.
 */
export function cachedReads(cache: CacheService, routes: readonly RouteSpec[]) {
  const readOf = cachedReadOf(routes);
  return (ctx: Context, next: Next): Promise<void> => {
    const read = readOf(ctx.method, ctx.url);
    const hit = read && cache.peekAnalysis<CachedBody>(read.analysisId, read.kind);
    if (!read || !hit) return next();
    (ctx as { _matchedRoute?: string })._matchedRoute = read.route;
    sendCached(ctx, hit, 'application/json');
    return Promise.resolve();
  };
}

import type { Context, Next } from 'koa';
import type { AnalysisCacheKind, CacheService } from '../../infra/cache/cache-service.js';
import type { CachedBody } from '../../infra/cache/cached-body.js';
import { sendCached } from '../cached-response.js';
import { API_PREFIX, type RouteSpec } from '../route.js';

/** A canonical (lower-case) analysis id as a path segment; any other spelling takes the routed path. */
const ID_SEGMENT = /\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?=\/|$)/;

/**
 * The hot path: a GET or HEAD of a cached read, without a query string, that this process's cache
 * can vouch for at once (`CacheService.peekAnalysis`: no Redis round trip) is answered here, before
 * routing, with the same bytes, ETag and headers the route's handler would send. Anything else
 * (a miss, an expired lease, another spelling of the id) goes on to the router unchanged.
 */
export function cachedReads(cache: CacheService, routes: readonly RouteSpec[]) {
  // The GET routes whose 200 is a cached JSON body, by full template (`/api/v1/dashboard/:analysisId`).
  const kinds = new Map<string, AnalysisCacheKind>();
  for (const r of routes) if (r.method === 'get' && r.cachedKind) kinds.set(`${API_PREFIX}${r.path}`, r.cachedKind);
  return (ctx: Context, next: Next): Promise<void> => {
    const path = ctx.url;
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || path.includes('?')) return next();
    const id = ID_SEGMENT.exec(path);
    if (!id) return next();
    const template = `${path.slice(0, id.index)}/:analysisId${path.slice(id.index + id[0].length)}`;
    const kind = kinds.get(template);
    const hit = kind === undefined ? undefined : cache.peekAnalysis<CachedBody>(id[1]!, kind);
    if (!hit) return next();
    (ctx as { _matchedRoute?: string })._matchedRoute = template;
    sendCached(ctx, hit, 'application/json');
    return Promise.resolve();
  };
}

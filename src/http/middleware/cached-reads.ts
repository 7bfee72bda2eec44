import type { Context, Next } from 'koa';
import type { CacheService } from '../../infra/cache/cache-service.js';
import { cachedReadOf, peekCachedAnswer, sendCached } from '../cached-answer.js';
import type { RouteSpec } from '../route.js';

/**
 * In Koa, after the rate limit and before routing: a cached read this process can vouch for at
 * once (cached-answer.ts) is answered here, as its route would answer it. It matters only when
 * the held-hits lane is not in front of Koa; anything else goes on to the router unchanged.
 */
export function cachedReads(cache: CacheService, routes: readonly RouteSpec[]) {
  const readOf = cachedReadOf(routes);
  return (ctx: Context, next: Next): Promise<void> => {
    const read = readOf(ctx.method, ctx.url);
    const hit = read && peekCachedAnswer(cache, read);
    if (!read || !hit) return next();
    (ctx as { _matchedRoute?: string })._matchedRoute = read.route;
    sendCached(ctx, hit, 'application/json');
    return Promise.resolve();
  };
}

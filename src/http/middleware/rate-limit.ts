import type { Context, Middleware } from 'koa';
import { RateLimitError } from '../../errors.js';
import type { RateLimiter, RateVerdict } from '../../infra/rate-limit/rate-limiter.js';
import { API_PREFIX } from '../route.js';

/** Paths never limited, so that probes keep working. */
const EXEMPT = new Set([`${API_PREFIX}/health`]);

/** The standard `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds) headers. */
export function setRateLimitHeaders(ctx: Context, v: RateVerdict): void {
  ctx.set('RateLimit-Limit', String(v.limit));
  ctx.set('RateLimit-Remaining', String(v.remaining));
  ctx.set('RateLimit-Reset', String(v.resetSeconds));
}

/** NFR-4: requests a minute per client IP (`ctx.ip`: X-Forwarded-For only with TRUST_PROXY). */
export function perIpRateLimit(limiter: RateLimiter): Middleware {
  return async (ctx, next) => {
    if (ctx.method === 'OPTIONS' || EXEMPT.has(ctx.path)) return next();
    const verdict = await limiter.hit(ctx.ip);
    setRateLimitHeaders(ctx, verdict);
    if (!verdict.allowed) throw new RateLimitError(verdict.resetSeconds);
    await next();
  };
}

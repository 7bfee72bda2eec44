import type { IncomingMessage } from 'node:http';
import type { Context, Middleware } from 'koa';
import { RateLimitError } from '../../errors.js';
import type { RateLimiter, RateVerdict } from '../../infra/rate-limit/rate-limiter.js';
import { API_PREFIX } from '../route.js';
import { bearerToken } from './admin-auth.js';

/** Paths never limited, so that probes keep working. */
const EXEMPT = new Set([`${API_PREFIX}/health`]);

/** The public per-IP limit, and the operator's own (requests with a valid ADMIN_TOKEN); null: not limited. */
export type RateLimits = { perIp: RateLimiter | null; admin: RateLimiter | null };

/** Which limit counts a request, and under which key. */
export type RateBudget = { limiter: RateLimiter; key: string };

/** The client's address as Koa's `ctx.ip` has it: the first X-Forwarded-For entry only behind a trusted proxy. */
export function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? req.headers['x-forwarded-for'] : undefined;
  const first = typeof forwarded === 'string' && forwarded !== '' ? forwarded.split(',', 1)[0]!.trim() : '';
  return first || req.socket.remoteAddress || '';
}

/**
 * The budget a request spends, per client IP: the operator's when it carries a valid ADMIN_TOKEN
 * (never the public one), the public one otherwise; none for preflights and probes.
 */
export function rateBudgetOf(
  limits: RateLimits,
  opts: { adminToken: string | null; trustProxy: boolean },
): (req: IncomingMessage, path: string) => RateBudget | null {
  const isOperator = bearerToken(opts.adminToken);
  return (req, path) => {
    if (req.method === 'OPTIONS' || EXEMPT.has(path)) return null;
    const limiter = isOperator(req.headers.authorization) ? limits.admin : limits.perIp;
    return limiter && { limiter, key: clientIp(req, opts.trustProxy) };
  };
}

/** The standard `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds) headers, as name/value pairs. */
export function rateLimitHeaderPairs(v: RateVerdict): string[] {
  return [
    'RateLimit-Limit',
    String(v.limit),
    'RateLimit-Remaining',
    String(v.remaining),
    'RateLimit-Reset',
    String(v.resetSeconds),
  ];
}

export function setRateLimitHeaders(ctx: Context, v: RateVerdict): void {
  const pairs = rateLimitHeaderPairs(v);
  for (let i = 0; i < pairs.length; i += 2) ctx.set(pairs[i]!, pairs[i + 1]!);
}

/** Verdicts given before Koa (by the held-hits lane), so that a request handed on is not counted twice. */
const counted = new WeakMap<IncomingMessage, RateVerdict>();

/** Records the verdict a request already got before it goes on to Koa. */
export function countedBefore(req: IncomingMessage, verdict: RateVerdict): void {
  counted.set(req, verdict);
}

/** NFR-4: requests a minute per client IP, and the operator's own budget; 429 with Retry-After past it. */
export function rateLimit(budgetOf: ReturnType<typeof rateBudgetOf>): Middleware {
  return async (ctx, next) => {
    let verdict = counted.get(ctx.req);
    if (!verdict) {
      const budget = budgetOf(ctx.req, ctx.path);
      if (!budget) return next();
      verdict = await budget.limiter.count(budget.key);
    }
    setRateLimitHeaders(ctx, verdict);
    if (!verdict.allowed) throw new RateLimitError(verdict.resetSeconds);
    await next();
  };
}

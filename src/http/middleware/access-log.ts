import type { Context } from 'koa';
import type { Logger } from '../../logger.js';
import type { ServiceMetrics } from '../../infra/metrics.js';

/** The route template that matched (`/api/v1/dashboard/:analysisId`), never the raw URL. */
const routeOf = (ctx: { _matchedRoute?: string | RegExp }) => (typeof ctx._matchedRoute === 'string' ? ctx._matchedRoute : 'unmatched');

/**
 * One log line and one histogram sample per answered request: method, route template, status,
 * duration and request id. Never the path or query string, which may hold a token or an email address.
 */
export function accessLog(logger: Logger, metrics: ServiceMetrics): (ctx: Context, startedAt: number) => void {
  return (ctx, startedAt) => {
    const seconds = (performance.now() - startedAt) / 1000;
    const route = routeOf(ctx as never);
    metrics.httpDuration.observe({ method: ctx.method, route, status: String(ctx.status) }, seconds);
    if (logger.isLevelEnabled('info')) {
      logger.info({ method: ctx.method, route, status: ctx.status, duration_ms: Math.round(seconds * 10_000) / 10, request_id: ctx.state.requestId }, 'request');
    }
  };
}

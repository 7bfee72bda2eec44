import Koa from 'koa';
import Router from '@koa/router';
import cors from '@koa/cors';
import type { Container } from '../container.js';
import { accessLog } from './middleware/access-log.js';
import { errorMiddleware } from './middleware/errors.js';
import { cachedReads } from './middleware/cached-reads.js';
import { perIpRateLimit } from './middleware/rate-limit.js';
import { requestId } from './middleware/request-id.js';
import { securityHeaders } from './middleware/security-headers.js';
import { acceptEncoding, onlyKnownMethods } from './middleware/input-guard.js';
import { mountRoutes, type RouteSpec } from './route.js';
import { adminRoutes } from './routes/admin/admin.js';
import { analysisRoutes } from './routes/analyses/analyses.js';
import { cacheRoutes } from './routes/cache/cache.js';
import { dashboardRoutes } from './routes/dashboard/dashboard.js';
import { metricsRoutes } from './routes/ops/metrics.js';
import { opsRoutes } from './routes/ops/ops.js';
import { reportRoutes } from './routes/dashboard/report-pdf.js';
import { subscribeRoutes } from './routes/dashboard/subscribe.js';
import { unsubscribeRoutes } from './routes/unsubscribe/unsubscribe.js';
import { confirmRoutes } from './routes/subscriptions/confirm.js';

/** What a browser frontend may send, and read back, across origins. */
const CORS = {
  allowMethods: ['GET', 'HEAD', 'POST', 'PUT'],
  allowHeaders: ['Content-Type', 'Authorization', 'If-None-Match', 'X-Request-Id'],
  exposeHeaders: ['ETag', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'X-Request-Id', 'Content-Disposition'],
  maxAge: 600,
};

/** Every API route, in one list: the router and the OpenAPI document both read it. */
export function apiRoutes(c: Container): RouteSpec[] {
  const routes: RouteSpec[] = [];
  routes.push(...analysisRoutes(c), ...dashboardRoutes(c), ...subscribeRoutes(c), ...reportRoutes(c), ...unsubscribeRoutes(c), ...confirmRoutes(c), ...cacheRoutes(c), ...metricsRoutes(c), ...adminRoutes(c), ...opsRoutes(c, () => routes));
  return routes;
}

/** The Koa application over a container. It listens nowhere until the caller says so. */
export function createApp(c: Container): Koa {
  const app = new Koa({ proxy: c.config.trustProxy });
  const router = new Router({ prefix: '/api/v1' });
  const routes = apiRoutes(c);
  mountRoutes(router, routes, { adminToken: c.config.adminToken });
  const origins = new Set(c.config.corsOrigins);
  app.use(requestId);
  app.use(accessLog(c.logger, c.metrics));
  app.use(securityHeaders({ https: c.config.publicUrl.startsWith('https:') }));
  app.use(errorMiddleware(c.logger));
  // Only the configured origins get Access-Control-Allow-Origin (echoed, never `*`); others get no CORS headers.
  app.use(cors({ ...CORS, origin: (ctx) => (origins.has(ctx.get('Origin')) ? ctx.get('Origin') : '') }));
  app.use(onlyKnownMethods(router.methods));
  app.use(acceptEncoding);
  if (c.rateLimits.perIp) app.use(perIpRateLimit(c.rateLimits.perIp));
  app.use(cachedReads(c.cache, routes.flatMap((r) => (r.method === 'get' && r.cachedKind ? [{ template: `/api/v1${r.path}`, kind: r.cachedKind }] : []))));
  app.use(router.routes());
  app.use(router.allowedMethods());
  app.silent = true;
  return app;
}

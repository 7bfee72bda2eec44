import type { IncomingMessage, ServerResponse } from 'node:http';
import Koa from 'koa';
import Router from '@koa/router';
import type { Container } from '../container.js';
import { corsFor } from './middleware/cors.js';
import { envelope } from './middleware/envelope.js';
import { cachedReads } from './middleware/cached-reads.js';
import { heldHits } from './held-hits.js';
import { perIpRateLimit } from './middleware/rate-limit.js';
import { acceptEncoding, onlyKnownMethods } from './middleware/input-guard.js';
import { API_PREFIX, mountRoutes, type RouteSpec } from './route.js';
import { adminRoutes } from './routes/admin/admin.js';
import { analysisRoutes } from './routes/analyses/analyses.js';
import { cacheRoutes } from './routes/cache/cache.js';
import { dashboardRoutes } from './routes/dashboard/dashboard.js';
import { metricsRoutes } from './routes/ops/metrics.js';
import { opsRoutes } from './routes/ops/ops.js';
import { reportRoutes } from './routes/dashboard/report-pdf.js';
import { subscribeRoutes } from './routes/dashboard/subscribe.js';
import { dashboardSubscriptionRoutes } from './routes/dashboard/subscriptions.js';
import { unsubscribeRoutes } from './routes/unsubscribe/unsubscribe.js';
import { confirmRoutes } from './routes/subscriptions/confirm.js';
import { mountDocs } from './routes/docs/docs.js';

/** HSTS goes only on a service served over https. */
const servedOverHttps = (c: Container) => c.config.publicUrl.startsWith('https:');

/** Every API route, in one list: the router and the OpenAPI document both read it. */
export function apiRoutes(c: Container): RouteSpec[] {
  const routes: RouteSpec[] = [];
  routes.push(
    ...analysisRoutes(c),
    ...dashboardRoutes(c),
    ...subscribeRoutes(c),
    ...dashboardSubscriptionRoutes(c),
    ...reportRoutes(c),
    ...unsubscribeRoutes(c),
    ...confirmRoutes(c),
    ...cacheRoutes(c),
    ...metricsRoutes(c),
    ...adminRoutes(c),
    ...opsRoutes(c, () => routes),
  );
  return routes;
}

/** The Koa application over a container. It listens nowhere until the caller says so. */
export function createApp(c: Container, routes: RouteSpec[] = apiRoutes(c)): Koa {
  const app = new Koa({ proxy: c.config.trustProxy });
  const router = new Router({ prefix: API_PREFIX });
  mountRoutes(router, routes, { adminToken: c.config.adminToken });
  mountDocs(router);
  app.use(envelope({ logger: c.logger, metrics: c.metrics, https: servedOverHttps(c) }));
  app.use(corsFor(c.config.corsOrigins));
  app.use(onlyKnownMethods(router.methods));
  app.use(acceptEncoding);
  if (c.rateLimits.perIp) app.use(perIpRateLimit(c.rateLimits.perIp)).use(cachedReads(c.cache, routes));
  app.use(router.routes());
  app.use(router.allowedMethods());
  app.silent = true;
  return app;
}

/**
 * What the HTTP server runs for each request: Koa, and before it the held hits answered straight
 * from `node:http` (`heldHits`), when the cache holds its tags and no per-IP rate limit has to
 * count the request first.
 */
export function requestListener(c: Container): (req: IncomingMessage, res: ServerResponse) => void {
  const routes = apiRoutes(c);
  const koa = createApp(c, routes).callback();
  if (c.rateLimits.perIp || !c.cache.holdsTags) return (req, res) => void koa(req, res);
  return heldHits(
    {
      cache: c.cache,
      routes,
      logger: c.logger,
      metrics: c.metrics,
      https: servedOverHttps(c),
      corsOrigins: c.config.corsOrigins,
    },
    (req, res) => void koa(req, res),
  );
}

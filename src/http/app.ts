import type { IncomingMessage, ServerResponse } from 'node:http';
import Koa from 'koa';
import Router from '@koa/router';
import type { Container } from '../container.js';
import { corsFor } from './middleware/cors.js';
import { envelope } from './middleware/envelope.js';
import { cachedReads } from './middleware/cached-reads.js';
import { heldHits } from './held-hits.js';
import { rateBudgetOf, rateLimit } from './middleware/rate-limit.js';
import { acceptEncoding, onlyKnownMethods } from './middleware/input-guard.js';
import { API_PREFIX, mountRoutes, type RouteSpec } from './route.js';
import { adminRoutes } from './routes/admin/admin.js';
import { supportRoutes } from './routes/admin/support.js';
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
import { credentialRoutes } from './routes/credentials/credentials.js';
import { mountDocs } from './routes/docs/docs.js';

/** HSTS goes only on a service served over https. */
const servedOverHttps = (c: Container) => c.config.publicUrl.startsWith('https:');

/** The rate limit each request spends: the public per-IP one, or the operator's own. */
const budgets = (c: Container) =>
  rateBudgetOf(c.rateLimits, { adminToken: c.config.adminToken, trustProxy: c.config.trustProxy });

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
    ...credentialRoutes(c),
    ...cacheRoutes(c),
    ...metricsRoutes(c),
    ...adminRoutes(c),
    ...supportRoutes(c),
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
  if (c.rateLimits.perIp || c.rateLimits.admin) app.use(rateLimit(budgets(c)));
  app.use(cachedReads(c.cache, routes));
  app.use(router.routes());
  app.use(router.allowedMethods());
  app.silent = true;
  return app;
}

/**
 * What the HTTP server runs for each request: the held-hits lane, which answers the cached reads
 * this process can vouch for straight from `node:http` (rate limit counted, headers and access log
 * as Koa would give them), and Koa behind it for everything else. `app`: the Koa application to
 * hand on to (tests pass one they can watch).
 */
export function requestListener(
  c: Container,
  opts: { routes?: RouteSpec[]; app?: Koa } = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const routes = opts.routes ?? apiRoutes(c);
  const koa = (opts.app ?? createApp(c, routes)).callback();
  if (!c.cache.holdsTags) return (req, res) => void koa(req, res);
  return heldHits(
    {
      cache: c.cache,
      routes,
      logger: c.logger,
      metrics: c.metrics,
      https: servedOverHttps(c),
      corsOrigins: c.config.corsOrigins,
      budgetOf: budgets(c),
    },
    (req, res) => void koa(req, res),
  );
}

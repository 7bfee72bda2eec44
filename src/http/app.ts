import Koa from 'koa';
import Router from '@koa/router';
import { koaBody } from 'koa-body';
import type { Container } from '../container.js';
import { errorMiddleware } from './middleware/errors.js';
import { requestId } from './middleware/request-id.js';
import { mountRoutes, type RouteSpec } from './route.js';
import { analysisRoutes } from './routes/analyses/analyses.js';
import { cacheRoutes } from './routes/cache/cache.js';
import { dashboardRoutes } from './routes/dashboard/dashboard.js';
import { opsRoutes } from './routes/ops/ops.js';
import { reportRoutes } from './routes/dashboard/report-pdf.js';
import { subscribeRoutes } from './routes/dashboard/subscribe.js';
import { unsubscribeRoutes } from './routes/unsubscribe/unsubscribe.js';

export const BODY_LIMIT = '1mb';

/** Every API route, in one list: the router and the OpenAPI document both read it. */
export function apiRoutes(c: Container): RouteSpec[] {
  const routes: RouteSpec[] = [];
  routes.push(...analysisRoutes(c), ...dashboardRoutes(c), ...subscribeRoutes(c), ...reportRoutes(c), ...unsubscribeRoutes(c), ...cacheRoutes(c), ...opsRoutes(c, () => routes));
  return routes;
}

/** The Koa application over a container. It listens nowhere until the caller says so. */
export function createApp(c: Container): Koa {
  const app = new Koa({ proxy: true });
  const router = new Router({ prefix: '/api/v1' });
  mountRoutes(router, apiRoutes(c));
  app.use(requestId);
  app.use(errorMiddleware(c.logger));
  const parseBody = koaBody({
    json: true,
    urlencoded: true,
    text: false,
    multipart: false,
    jsonLimit: BODY_LIMIT,
    formLimit: '64kb',
    jsonStrict: true,
  }) as unknown as Koa.Middleware; // koa-body bundles its own (older) Koa types
  // GET and HEAD carry no body: the hot read path skips the parser altogether.
  app.use((ctx, next) => (ctx.method === 'GET' || ctx.method === 'HEAD' ? next() : parseBody(ctx, next)));
  app.use(router.routes());
  app.use(router.allowedMethods());
  app.silent = true;
  return app;
}

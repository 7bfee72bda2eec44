import Koa from 'koa';
import Router from '@koa/router';
import { koaBody } from 'koa-body';
import type { Container } from '../container.js';
import { adminAuth } from './middleware/admin-auth.js';
import { errorMiddleware } from './middleware/errors.js';
import { requestId } from './middleware/request-id.js';
import { mountRoutes, type RouteSpec } from './route.js';
import { adminRoutes } from './routes/admin/admin.js';
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
  routes.push(...analysisRoutes(c), ...dashboardRoutes(c), ...subscribeRoutes(c), ...reportRoutes(c), ...unsubscribeRoutes(c), ...cacheRoutes(c), ...adminRoutes(c), ...opsRoutes(c, () => routes));
  return routes;
}

/** The Koa application over a container. It listens nowhere until the caller says so. */
export function createApp(c: Container): Koa {
  const app = new Koa({ proxy: true });
  const router = new Router({ prefix: '/api/v1' });
  router.use('/admin', adminAuth(c.config.adminToken));
  mountRoutes(router, apiRoutes(c));
  app.use(requestId);
  app.use(errorMiddleware(c.logger));
  app.use(
    koaBody({
      json: true,
      urlencoded: true,
      text: false,
      multipart: false,
      jsonLimit: BODY_LIMIT,
      formLimit: '64kb',
      jsonStrict: true,
    }),
  );
  app.use(router.routes());
  app.use(router.allowedMethods());
  app.silent = true;
  return app;
}

import type Koa from 'koa';
import { apiRoutes, createApp } from '../../src/http/app.js';
import type { Container } from '../../src/container.js';

/** The service's Koa application with a first middleware that counts every request entering its stack. */
export function watchedKoa(c: Container, routes = apiRoutes(c)): { app: Koa; entered: () => number } {
  const app = createApp(c, routes);
  let entered = 0;
  app.middleware.unshift((_ctx, next) => {
    entered++;
    return next();
  });
  return { app, entered: () => entered };
}

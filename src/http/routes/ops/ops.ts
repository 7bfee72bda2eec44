import { z } from 'zod';
import type { Container } from '../../../container.js';
import { defineRoute, type RouteSpec } from '../../route.js';
import { openApiDocument } from '../../openapi.js';

const HealthBody = z.object({
  status: z.enum(['ok', 'degraded', 'down', 'draining']),
  database: z.object({ status: z.enum(['up', 'down']), kind: z.enum(['postgres', 'pglite']), latency_ms: z.number() }),
  cache: z.object({ status: z.enum(['up', 'down']), backend: z.enum(['redis', 'memory']) }),
});

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

// /health answers within 1 s even when the database hangs: a load balancer's probe must not time out.
const HEALTH_DB_WAIT_MS = 800;

/** Health and the API description. */
export function opsRoutes(c: Container, allRoutes: () => RouteSpec[]): RouteSpec[] {
  return [
    defineRoute({
      method: 'get', path: '/health', operationId: 'health', tags: ['Operations'],
      summary: 'Database and cache health: 200 while the database is up, even with the cache down',
      responses: { 200: { description: 'Up (possibly degraded)', schema: HealthBody }, 503: { description: 'Database down, or the process is draining', schema: HealthBody } },
      async handle(ctx) {
        const started = performance.now();
        const dbUp = await withTimeout(c.db.raw('SELECT 1'), HEALTH_DB_WAIT_MS).then(() => true, () => false);
        const latency = Math.round((performance.now() - started) * 10) / 10;
        const cacheUp = c.cache.available; // the breaker's state: never waits on Redis timeouts
        const draining = c.lifecycle.draining; // shutting down: the balancer should stop sending here
        ctx.status = dbUp && !draining ? 200 : 503;
        ctx.body = {
          status: draining ? 'draining' : !dbUp ? 'down' : cacheUp ? 'ok' : 'degraded',
          database: { status: dbUp ? 'up' : 'down', kind: c.dbKind, latency_ms: latency },
          cache: { status: cacheUp ? 'up' : 'down', backend: c.cache.backend },
        };
      },
    }),
    defineRoute({
      method: 'get', path: '/openapi.json', operationId: 'openapi', tags: ['Operations'],
      summary: 'This OpenAPI document', responses: { 200: { description: 'OpenAPI 3 document' } },
      async handle(ctx) {
        ctx.body = openApiDocument(allRoutes(), c.config.publicUrl);
      },
    }),
  ];
}

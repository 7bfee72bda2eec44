import { z } from 'zod';
import type { Container } from '../../../container.js';
import { defineRoute, type RouteSpec } from '../../route.js';
import { openApiDocument } from '../../openapi.js';
import { EXAMPLES } from '../../examples.js';

const HealthBody = z.object({
  status: z.enum(['ok', 'degraded', 'down', 'draining']),
  database: z.object({ status: z.enum(['up', 'down']), kind: z.enum(['postgres', 'pglite']), latency_ms: z.number() }),
  cache: z.object({ status: z.enum(['up', 'down']), backend: z.enum(['redis', 'memory']) }),
});

/** Health and the API description. */
export function opsRoutes(c: Container, allRoutes: () => RouteSpec[]): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/health',
      operationId: 'health',
      tags: ['Operations'],
      summary: 'Database and cache health: 200 while the database is up, even with the cache down',
      responses: {
        200: { description: 'Up (possibly degraded)', schema: HealthBody, example: EXAMPLES.health },
        503: {
          description: 'Database down, or the process is draining',
          schema: HealthBody,
          example: { ...EXAMPLES.health, status: 'down', database: { ...EXAMPLES.health.database, status: 'down' } },
        },
      },
      async handle(ctx) {
        const health = await c.health.check();
        ctx.status = health.status === 'down' || health.status === 'draining' ? 503 : 200;
        ctx.body = health;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/openapi.json',
      operationId: 'openapi',
      tags: ['Operations'],
      summary: 'This OpenAPI document',
      responses: {
        200: {
          description: 'OpenAPI 3.1 document',
          schema: z.record(z.string(), z.unknown()),
          example: { openapi: '3.1.0', info: { title: "Vision'AI're Dashboard API", version: '1.0.0' }, paths: {} },
        },
      },
      async handle(ctx) {
        ctx.body = openApiDocument(allRoutes(), c.config.publicUrl);
      },
    }),
  ];
}

import { z } from 'zod';
import type { Container } from '../../../container.js';
import { defineRoute, type RouteSpec } from '../../route.js';
import { EXAMPLES } from '../../examples.js';

/** Prometheus metrics, for the operator's scraper. */
export function metricsRoutes(c: Container): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/metrics',
      operationId: 'metrics',
      tags: ['Operations'],
      admin: true,
      summary:
        'Prometheus metrics: request durations, cache hits and misses, badges, deliveries, rate-limit rejections, pool and process',
      responses: {
        200: {
          description: 'Prometheus text exposition format',
          contentType: 'text/plain',
          schema: z.string(),
          example: EXAMPLES.metricsText,
        },
      },
      async handle(ctx) {
        const { contentType, text } = await c.metrics.scrape();
        ctx.type = contentType;
        ctx.body = text;
      },
    }),
  ];
}

import { z } from 'zod';
import type { Container } from '../../../container.js';
import { defineRoute, type RouteSpec } from '../../route.js';
import { EXAMPLES } from '../../examples.js';

const CacheStatsBody = z
  .object({
    health: z.enum(['healthy', 'degraded']),
    backend: z.enum(['redis', 'memory']),
    hits: z.number().int(),
    misses: z.number().int(),
    hit_rate: z.number().describe('hits / (hits + misses), in percent'),
    memory_used: z
      .string()
      .nullable()
      .describe("Redis INFO used_memory_human; the in-process store's size in memory mode"),
    connected_clients: z.number().int().nullable(),
  })
  .meta({ id: 'CacheStatsResponse' });

/** Cache operations. */
export function cacheRoutes(c: Container): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/cache/stats',
      operationId: 'cacheStats',
      tags: ['Operations'],
      admin: true,
      summary: 'Cache hits, misses and hit rate, plus Redis memory and clients; degraded while Redis is unavailable',
      responses: { 200: { description: 'Cache statistics', schema: CacheStatsBody, example: EXAMPLES.cacheStats } },
      async handle(ctx) {
        ctx.body = await c.cache.stats();
      },
    }),
  ];
}

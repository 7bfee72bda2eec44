import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { InvalidInputError, fieldErrors } from '../errors.js';

type Method = 'get' | 'post' | 'put' | 'delete';
type Input<P, Q, B> = { params: P; query: Q; body: B };

/** One endpoint: its zod schemas validate requests and also generate the OpenAPI document. */
export type RouteSpec<P = unknown, Q = unknown, B = unknown> = {
  method: Method;
  /** Koa-style path under /api/v1, e.g. `/dashboard/:analysisId`. */
  path: string;
  operationId: string;
  summary: string;
  tags: string[];
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
  handle(ctx: Context, input: Input<P, Q, B>): Promise<void>;
};

/** Declares a route with typed, validated input. */
export function defineRoute<P = undefined, Q = undefined, B = undefined>(spec: RouteSpec<P, Q, B>): RouteSpec {
  return spec as unknown as RouteSpec;
}

function validate<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields = fieldErrors(result.error.issues).map((f) => ({ ...f, field: f.field === '(body)' ? where : `${where}.${f.field}` }));
  throw new InvalidInputError(`Invalid ${where}: ${fields.map((f) => `${f.field} (${f.message})`).join(', ')}`, fields);
}

/** Mounts route specs on a router, validating params, query and body before the handler runs. */
export function mountRoutes(router: Router, routes: readonly RouteSpec[]): void {
  for (const route of routes) {
    router[route.method](route.path, async (ctx) => {
      const params = validate(route.params, ctx.params, 'path');
      const query = validate(route.query, ctx.query, 'query');
      const body = validate(route.body, (ctx.request as { body?: unknown }).body ?? {}, 'body');
      await route.handle(ctx, { params, query, body });
    });
  }
}

import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { koaBody } from 'koa-body';
import { z } from 'zod';
import { InvalidInputError, UnsupportedMediaTypeError, fieldErrors } from '../errors.js';
import type { AnalysisCacheKind } from '../infra/cache/cache-service.js';
import { adminAuth } from './middleware/admin-auth.js';
import { rejectHostileInput } from './middleware/input-guard.js';
import type { ErrorCodeName } from './schemas.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export { API_PREFIX } from '../api-paths.js';
type Input<P, Q, B> = { params: P; query: Q; body: B };

/** One documented response; `example` is what the OpenAPI document shows for it. */
export type ResponseSpec = {
  description: string;
  schema?: z.ZodType;
  contentType?: string;
  example?: unknown;
  /** Other media types the same answer comes in (content negotiation). */
  also?: { contentType: string; schema: z.ZodType; example: unknown }[];
};

/** One endpoint: its zod schemas validate requests and also generate the OpenAPI document. */
export type RouteSpec<P = unknown, Q = unknown, B = unknown> = {
  method: Method;
  /** Koa-style path under API_PREFIX, e.g. `/dashboard/:analysisId`. */
  path: string;
  operationId: string;
  summary: string;
  tags: string[];
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** An operator endpoint: needs `Authorization: Bearer $ADMIN_TOKEN` when a token is configured. */
  admin?: boolean;
  /** A GET whose 200 is the analysis's cached JSON of this kind: answered before routing when the cache can vouch for it at once. */
  cachedKind?: AnalysisCacheKind;
  /** Error codes this operation can answer beyond those its shape implies (see `operationErrors`). */
  errors?: readonly ErrorCodeName[];
  /** The 200 carries a strong ETag and a matching If-None-Match gets 304 (implied by `cachedKind`). */
  conditional?: boolean;
  /** Also takes an HTML form post (the one-click unsubscribe); every other route takes JSON only. */
  form?: boolean;
  responses: Record<number, ResponseSpec>;
  handle(ctx: Context, input: Input<P, Q, B>): Promise<void>;
};

/** Bodies larger than these get 413 PAYLOAD_TOO_LARGE naming the limit that applied. */
export const BODY_LIMITS = { json: '1mb', form: '64kb' } as const;
const JSON_TYPES = ['application/json'];
const FORM_TYPES = ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'];

/** Declares a route with typed, validated input. */
export function defineRoute<P = undefined, Q = undefined, B = undefined>(spec: RouteSpec<P, Q, B>): RouteSpec {
  return spec as unknown as RouteSpec;
}

function validate<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields = fieldErrors(result.error.issues).map((f) => ({
    ...f,
    field: f.field === '(body)' ? where : `${where}.${f.field}`,
  }));
  throw new InvalidInputError(`Invalid ${where}: ${fields.map((f) => `${f.field} (${f.message})`).join(', ')}`, fields);
}

/**
 * A body of another media type than the route takes gets 415 before anything reads it (an HTML
 * form on another site cannot post to a JSON route); then only that route's types are parsed.
 */
function bodyParsing(route: RouteSpec): Middleware[] {
  if (route.method === 'get') return [];
  const types = route.form ? FORM_TYPES : JSON_TYPES;
  const checkType: Middleware = async (ctx, next) => {
    const hasBody = ctx.get('transfer-encoding') !== '' || (ctx.request.length ?? 0) > 0;
    if (hasBody && !ctx.request.is(types)) {
      throw new UnsupportedMediaTypeError(
        `Send the body as ${route.form ? 'application/json or a form' : 'application/json'}`,
      );
    }
    await next();
  };
  const parse = koaBody({
    json: true,
    urlencoded: route.form === true,
    text: false,
    multipart: false,
    jsonLimit: BODY_LIMITS.json,
    formLimit: BODY_LIMITS.form,
    jsonStrict: true,
  }) as unknown as Middleware;
  return [checkType, parse];
}

/** Mounts route specs on a router: operator auth, media type and body, hostile-input checks, then validated input. */
export function mountRoutes(router: Router, routes: readonly RouteSpec[], opts: { adminToken: string | null }): void {
  const admin = adminAuth(opts.adminToken);
  for (const route of routes) {
    const handler: Middleware = async (ctx) => {
      const params = validate(route.params, ctx.params, 'path');
      const query = validate(route.query, ctx.query, 'query');
      const body = validate(route.body, (ctx.request as { body?: unknown }).body ?? {}, 'body');
      await route.handle(ctx, { params, query, body });
    };
    router[route.method](
      route.path,
      ...(route.admin ? [admin] : []),
      ...bodyParsing(route),
      rejectHostileInput,
      handler,
    );
  }
}

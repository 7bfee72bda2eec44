import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
} from 'zod-openapi';
import { z } from 'zod';
import { ErrorBody } from './schemas.js';
import { API_PREFIX, type RouteSpec } from './route.js';

const error = (
  id: string,
  description: string,
  code: string,
  detail: string,
  headers?: ZodOpenApiResponseObject['headers'],
): ZodOpenApiResponseObject => ({
  id,
  description,
  ...(headers ? { headers } : {}),
  content: {
    'application/json': {
      schema: ErrorBody,
      example: {
        error: code,
        detail,
        timestamp: '2026-03-02T10:00:00.000Z',
        request_id: '0b7c1c1e-4c4b-4f0e-9d5e-8a1f2b3c4d5e',
      },
    },
  },
});

const rateHeaders = {
  'Retry-After': { description: 'Seconds until a request may succeed', schema: { type: 'integer' } },
  'RateLimit-Limit': { description: 'Requests allowed in the window', schema: { type: 'integer' } },
  'RateLimit-Remaining': { description: 'Requests left in the window', schema: { type: 'integer' } },
  'RateLimit-Reset': { description: 'Seconds until the window resets', schema: { type: 'integer' } },
} as const;

/** The shared error responses, registered once under components.responses. */
const ERRORS = {
  400: error(
    'BadRequest',
    'INVALID_INPUT (with the fields that failed) or INVALID_TRANSITION',
    'INVALID_INPUT',
    'Invalid path: path.analysisId (must be a UUID)',
  ),
  401: error(
    'Unauthorized',
    'UNAUTHORIZED: missing or wrong Bearer token (or an invalid unsubscribe link)',
    'UNAUTHORIZED',
    'This endpoint needs Authorization: Bearer <ADMIN_TOKEN>',
  ),
  404: error(
    'NotFound',
    'NOT_FOUND or OPPORTUNITY_NOT_FOUND',
    'NOT_FOUND',
    'Analysis with ID 550e8400-e29b-41d4-a716-446655440000 not found',
  ),
  413: error(
    'PayloadTooLarge',
    'PAYLOAD_TOO_LARGE: the body exceeds its limit (1 MB JSON, 64 KB form)',
    'PAYLOAD_TOO_LARGE',
    'Request body exceeds the 1 MB limit',
  ),
  415: error(
    'UnsupportedMediaType',
    'UNSUPPORTED_MEDIA_TYPE: the body is not application/json',
    'UNSUPPORTED_MEDIA_TYPE',
    'Send the body as application/json',
  ),
  429: error(
    'TooManyRequests',
    'RATE_LIMIT_EXCEEDED',
    'RATE_LIMIT_EXCEEDED',
    'Too many requests; retry in 42 s',
    rateHeaders,
  ),
  500: error(
    'InternalError',
    'INTERNAL_SERVER_ERROR: never leaks internals',
    'INTERNAL_SERVER_ERROR',
    'An unexpected error occurred',
  ),
  503: error(
    'ServiceUnavailable',
    'SERVICE_UNAVAILABLE: the database is unreachable; retry',
    'SERVICE_UNAVAILABLE',
    'The database is unreachable; retry shortly',
  ),
} as const;

function operation(r: RouteSpec): ZodOpenApiOperationObject {
  const responses: Record<string, ZodOpenApiResponseObject> = {};
  for (const [status, resp] of Object.entries(r.responses)) {
    const type = resp.contentType ?? 'application/json';
    responses[status] = {
      description: resp.description,
      ...(resp.schema
        ? {
            content: {
              [type]: { schema: resp.schema, ...(resp.example === undefined ? {} : { example: resp.example }) },
              ...Object.fromEntries(
                (resp.also ?? []).map((a) => [a.contentType, { schema: a.schema, example: a.example }]),
              ),
            },
          }
        : {}),
    };
  }
  const applies: Record<keyof typeof ERRORS, boolean> = {
    400: Boolean(r.params || r.query || r.body),
    401: r.admin === true,
    404: Boolean(r.params),
    413: r.method !== 'get',
    415: r.method !== 'get',
    429: true,
    500: true,
    503: true,
  };
  for (const code of Object.keys(ERRORS).map(Number) as (keyof typeof ERRORS)[])
    if (applies[code]) responses[code] ??= ERRORS[code];
  return {
    operationId: r.operationId,
    summary: r.summary,
    tags: r.tags,
    ...(r.admin ? { security: [{ adminToken: [] }] } : {}),
    ...(r.params || r.query
      ? {
          requestParams: {
            ...(r.params ? { path: r.params as z.ZodObject } : {}),
            ...(r.query ? { query: r.query as z.ZodObject } : {}),
          },
        }
      : {}),
    ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: r.body } } } } : {}),
    responses: responses as ZodOpenApiOperationObject['responses'],
  };
}

/** The OpenAPI 3.1 document, generated from the same zod schemas that validate the requests. */
export function openApiDocument(routes: readonly RouteSpec[], serverUrl: string): Record<string, unknown> {
  const paths: ZodOpenApiPathsObject = {};
  for (const r of routes) {
    const path = r.path.replace(/:(\w+)/g, '{$1}');
    paths[path] = { ...paths[path], [r.method]: operation(r) };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: "Vision'AI're Dashboard API",
      version: '1.0.0',
      description: 'Progress tracking, badges, savings metrics and reports.',
    },
    servers: [{ url: `${serverUrl}${API_PREFIX}` }],
    components: {
      securitySchemes: {
        adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN (operator endpoints)' },
      },
    },
    paths,
  }) as unknown as Record<string, unknown>;
}

import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
} from 'zod-openapi';
import { z } from 'zod';
import { ErrorBody, ErrorCode, type ErrorCodeName } from './schemas.js';
import { errorBodyOf, operationErrors } from './openapi-errors.js';
import { API_PREFIX, type ResponseSpec, type RouteSpec } from './route.js';

const EXAMPLE_DETAIL: Partial<Record<ErrorCodeName, string>> = {
  INVALID_INPUT: 'Invalid path: path.analysisId (must be a UUID)',
  INVALID_TRANSITION: 'Cannot transition from IMPLEMENTED to NOT_STARTED',
  UNAUTHORIZED: 'This endpoint needs Authorization: Bearer <ADMIN_TOKEN>',
  NOT_FOUND: 'Analysis with ID 550e8400-e29b-41d4-a716-446655440000 not found',
  OPPORTUNITY_NOT_FOUND: "Opportunity 'x' not found in analysis results",
  PAYLOAD_TOO_LARGE: 'Request body exceeds the 1 MB limit',
  UNSUPPORTED_MEDIA_TYPE: 'Send the body as application/json',
  RATE_LIMIT_EXCEEDED: 'Too many requests; retry in 42 s',
  INTERNAL_SERVER_ERROR: 'An unexpected error occurred',
  SERVICE_UNAVAILABLE: 'The database is unreachable; retry shortly',
};

const integer = (description: string) => ({ description, schema: { type: 'integer' as const } });
const RATE_HEADERS = {
  'RateLimit-Limit': integer('Requests allowed in the window'),
  'RateLimit-Remaining': integer('Requests left in the window'),
  'RateLimit-Reset': integer('Seconds until the window resets'),
};
const RETRY_AFTER = { 'Retry-After': integer('Seconds until a request may succeed') };
const HEADERS: Record<number, ZodOpenApiResponseObject['headers']> = {
  429: { ...RETRY_AFTER, ...RATE_HEADERS },
  503: RETRY_AFTER,
};
const ETAG = { ETag: { description: 'Strong validator of this representation', schema: { type: 'string' as const } } };
const IF_NONE_MATCH = {
  in: 'header' as const,
  name: 'If-None-Match',
  required: false,
  description: 'The ETag of the copy held: 304 Not Modified while it is current',
  schema: { type: 'string' as const },
};

/** The shared error responses (one code each), registered once under components.responses. */
const SHARED: Record<number, { id: string; description: string; code: ErrorCodeName }> = {
  400: { id: 'BadRequest', description: 'INVALID_INPUT, with the fields that failed', code: 'INVALID_INPUT' },
  401: { id: 'Unauthorized', description: 'UNAUTHORIZED: missing or wrong Bearer token', code: 'UNAUTHORIZED' },
  404: { id: 'NotFound', description: 'NOT_FOUND', code: 'NOT_FOUND' },
  413: {
    id: 'PayloadTooLarge',
    description: 'PAYLOAD_TOO_LARGE: the body exceeds its limit (1 MB JSON, 64 KB form)',
    code: 'PAYLOAD_TOO_LARGE',
  },
  415: {
    id: 'UnsupportedMediaType',
    description: 'UNSUPPORTED_MEDIA_TYPE: the body is not application/json',
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  429: {
    id: 'TooManyRequests',
    description: 'RATE_LIMIT_EXCEEDED: wait Retry-After seconds',
    code: 'RATE_LIMIT_EXCEEDED',
  },
  500: {
    id: 'InternalError',
    description: 'INTERNAL_SERVER_ERROR: never leaks internals',
    code: 'INTERNAL_SERVER_ERROR',
  },
  503: {
    id: 'ServiceUnavailable',
    description: 'SERVICE_UNAVAILABLE: the database is unreachable or too slow; retry',
    code: 'SERVICE_UNAVAILABLE',
  },
};

function errorContent(codes: readonly ErrorCodeName[]) {
  return {
    schema: errorBodyOf(codes),
    example: {
      error: codes[0],
      detail: EXAMPLE_DETAIL[codes[0]!] ?? codes[0],
      timestamp: '2026-03-02T10:00:00.000Z',
      request_id: '0b7c1c1e-4c4b-4f0e-9d5e-8a1f2b3c4d5e',
    },
  };
}

const shared = new Map<number, ZodOpenApiResponseObject>();
function sharedResponse(status: number): ZodOpenApiResponseObject {
  let resp = shared.get(status);
  if (!resp) {
    const s = SHARED[status]!;
    resp = {
      id: s.id,
      description: s.description,
      ...(HEADERS[status] ? { headers: HEADERS[status] } : {}),
      content: { 'application/json': errorContent([s.code]) },
    };
    shared.set(status, resp);
  }
  return resp;
}

/**
 * An error status of one operation: the shared response when the operation gives only that
 * status's usual code and says nothing of its own, else its own response naming its codes (and
 * keeping a page it answers to browsers).
 */
function errorResponse(status: number, codes: ErrorCodeName[], own?: ResponseSpec): ZodOpenApiResponseObject {
  if (!own && codes.length === 1 && SHARED[status]?.code === codes[0]) return sharedResponse(status);
  const page = own?.schema && own.contentType && own.contentType !== 'application/json' ? own : undefined;
  return {
    description: own?.description ?? codes.join(' or '),
    ...(HEADERS[status] ? { headers: HEADERS[status] } : {}),
    content: {
      'application/json': errorContent(codes),
      ...(page ? { [page.contentType!]: { schema: page.schema!, example: page.example } } : {}),
    },
  };
}

function operation(r: RouteSpec): ZodOpenApiOperationObject {
  const conditional = r.conditional === true || (r.method === 'get' && r.cachedKind !== undefined);
  const responses: Record<string, ZodOpenApiResponseObject> = {};
  const errors = operationErrors(r);
  for (const [status, resp] of Object.entries(r.responses)) {
    if (errors.has(Number(status)) && !(resp.schema && (resp.contentType ?? 'application/json') === 'application/json'))
      continue; // an error status: documented below with its codes
    const type = resp.contentType ?? 'application/json';
    responses[status] = {
      description: resp.description,
      ...(conditional && status === '200' ? { headers: ETAG } : {}),
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
  if (conditional) responses[304] = { description: 'Not Modified: the If-None-Match ETag is current', headers: ETAG };
  for (const [status, codes] of errors) responses[status] ??= errorResponse(status, codes, r.responses[status]);
  return {
    operationId: r.operationId,
    summary: r.summary,
    tags: r.tags,
    security: r.admin ? [{ adminToken: [] }] : [],
    ...(conditional ? { parameters: [IF_NONE_MATCH] } : {}),
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
  return createDocument(
    {
      openapi: '3.1.0',
      info: {
        title: "Vision'AI're Dashboard API",
        version: '1.0.0',
        description: 'Progress tracking, badges, savings metrics and reports.',
        license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
      },
      servers: [{ url: `${serverUrl}${API_PREFIX}` }],
      components: {
        schemas: { ErrorCode, ErrorResponse: ErrorBody },
        securitySchemes: {
          adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN (operator endpoints)' },
        },
      },
      paths,
    },
    { override: inputDefaultsInWords },
  ) as unknown as Record<string, unknown>;
}

/**
 * A request field's default goes into its description: generators (openapi-typescript's
 * defaultNonNullable) would otherwise make a field the server fills in required of the client.
 */
function inputDefaultsInWords({ jsonSchema, io }: { jsonSchema: Record<string, unknown>; io: 'input' | 'output' }) {
  if (io !== 'input' || !('default' in jsonSchema)) return;
  const value = JSON.stringify(jsonSchema.default);
  delete jsonSchema.default;
  const words = `Default when absent: ${value}.`;
  jsonSchema.description = typeof jsonSchema.description === 'string' ? `${jsonSchema.description} ${words}` : words;
}

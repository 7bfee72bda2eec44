import { z } from 'zod';
import { ErrorBody } from './schemas.js';
import type { RouteSpec } from './route.js';

const ERRORS: Record<number, string> = {
  400: 'INVALID_INPUT or INVALID_TRANSITION',
  404: 'NOT_FOUND or OPPORTUNITY_NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMIT_EXCEEDED',
  500: 'INTERNAL_SERVER_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

const toJson = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, target: 'openapi-3.0', unrepresentable: 'any', reused: 'inline' });

/** The OpenAPI 3 document, generated from the same zod schemas that validate the requests. */
export function openApiDocument(routes: readonly RouteSpec[], serverUrl: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:(\w+)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const [where, schema] of [['path', r.params], ['query', r.query]] as const) {
      if (!schema) continue;
      const json = toJson(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, s] of Object.entries(json.properties ?? {})) {
        parameters.push({ name, in: where, required: where === 'path' || (json.required ?? []).includes(name), schema: s });
      }
    }
    const responses: Record<string, unknown> = {};
    for (const [status, resp] of Object.entries(r.responses)) {
      responses[status] = {
        description: resp.description,
        ...(resp.schema ? { content: { [resp.contentType ?? 'application/json']: { schema: toJson(resp.schema, 'output') } } } : {}),
      };
    }
    const errorCodes = [400, ...(r.params ? [404] : []), 413, 429, 500, 503];
    for (const code of errorCodes) {
      responses[code] ??= { description: ERRORS[code], content: { 'application/json': { schema: toJson(ErrorBody, 'output') } } };
    }
    paths[path] ??= {};
    paths[path][r.method] = {
      operationId: r.operationId,
      summary: r.summary,
      tags: r.tags,
      ...(parameters.length ? { parameters } : {}),
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: toJson(r.body, 'input') } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.0.3',
    info: { title: "Vision'AI're Dashboard API", version: '1.0.0', description: 'Progress tracking, badges, savings metrics and reports.' },
    servers: [{ url: `${serverUrl}/api/v1` }],
    paths,
  };
}

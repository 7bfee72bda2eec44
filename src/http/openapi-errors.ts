import { z } from 'zod';
import { ErrorBody, ErrorCode, type ErrorCodeName } from './schemas.js';
import type { RouteSpec } from './route.js';

/** The HTTP status of each contract error code. */
export const ERROR_STATUS: Record<ErrorCodeName, number> = {
  INVALID_INPUT: 400,
  INVALID_TRANSITION: 400,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  OPPORTUNITY_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMIT_EXCEEDED: 429,
  INTERNAL_SERVER_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
};

/** Paths the per-IP limit never counts (the rate-limit middleware's list, in route form). */
const UNLIMITED = new Set(['/health']);

/**
 * The error codes an operation can answer, by status: what every route can give (bad input,
 * 500, 503), what its shape implies (a path id: 404; a body: 413 and 415; an operator token: 401;
 * the per-IP limit: 429), and the codes it names itself.
 */
export function operationErrors(r: RouteSpec): Map<number, ErrorCodeName[]> {
  const codes: ErrorCodeName[] = ['INVALID_INPUT', 'INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE'];
  if (r.admin) codes.push('UNAUTHORIZED');
  if (r.params) codes.push('NOT_FOUND');
  if (r.method !== 'get') codes.push('PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE');
  if (!UNLIMITED.has(r.path)) codes.push('RATE_LIMIT_EXCEEDED');
  codes.push(...(r.errors ?? []));
  const byStatus = new Map<number, ErrorCodeName[]>();
  for (const code of ErrorCode.options.filter((c) => codes.includes(c))) {
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return byStatus;
}

const pascal = (code: string) =>
  code
    .toLowerCase()
    .split('_')
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');

const schemas = new Map<string, z.ZodType>();

/** The error body whose `error` is one of `codes`: one registered schema per set of codes. */
export function errorBodyOf(codes: readonly ErrorCodeName[]): z.ZodType {
  const id = `${codes.map(pascal).join('Or')}Error`;
  let schema = schemas.get(id);
  if (!schema) {
    schema = ErrorBody.extend({ error: z.enum(codes as [ErrorCodeName, ...ErrorCodeName[]]) }).meta({
      id,
      description: `The error body of ${codes.join(' or ')} (codes among ErrorCode)`,
    });
    schemas.set(id, schema);
  }
  return schema;
}

/** The schema an operation documents for an error status (the shared one for a status it does not list). */
export function errorSchemaFor(r: RouteSpec, status: number): z.ZodType {
  const codes = operationErrors(r).get(status);
  return codes ? errorBodyOf(codes) : ErrorBody;
}

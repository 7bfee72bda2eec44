import { expect } from 'chai';
import type { z } from 'zod';
import type { Container } from '../../src/container.js';
import { apiRoutes } from '../../src/http/app.js';
import { errorSchemaFor } from '../../src/http/openapi-errors.js';
import type { JsonResponse } from './harness.js';

/**
 * Asserts that a real response matches the schema the OpenAPI document gives for its operation
 * and status (for an error, the body whose `error` is one of the codes that operation documents), with no undocumented field:
 * the documented schema drops unknown keys, so anything extra makes the two differ.
 */
export function expectDocumented(c: Container, operationId: string, res: JsonResponse): void {
  const route = apiRoutes(c).find((r) => r.operationId === operationId);
  if (!route) throw new Error(`no operation ${operationId}`);
  const own = route.responses[res.status];
  const json = own?.schema && (own.contentType ?? 'application/json') === 'application/json';
  const schema: z.ZodType | undefined = json
    ? own.schema
    : res.status >= 400
      ? errorSchemaFor(route, res.status)
      : undefined;
  expect(schema, `${operationId} documents status ${res.status}`).to.not.equal(undefined);
  const parsed = schema!.safeParse(res.body);
  expect(parsed.success, `${operationId} ${res.status}: ${parsed.error?.message}`).to.equal(true);
  expect(parsed.data, `${operationId} ${res.status} has only documented fields`).to.deep.equal(res.body);
}

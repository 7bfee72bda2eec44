import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import type { OpenAPIV3_1 } from 'openapi-types';
import { api, startHarness, type Harness } from '../../helpers/harness.js';

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

/** Type-checks files with the project's strictness; returns the diagnostics as text. */
function typeErrors(files: string[]): string[] {
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: false,
    noUncheckedIndexedAccess: true,
    types: [],
    lib: ['lib.es2022.d.ts'],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('GET /openapi.json as tooling reads it', function () {
  this.timeout(60_000);
  let h: Harness;
  let doc: OpenAPIV3_1.Document;
  before(async () => {
    h = await startHarness('pglite');
    doc = (await api(h.baseUrl).get('/openapi.json')).body;
  });
  after(() => h.close());

  const operations = () =>
    Object.entries(doc.paths!).flatMap(([p, item]) =>
      METHODS.filter((m) => item![m]).map((m) => ({ key: `${m.toUpperCase()} ${p}`, op: item![m]! })),
    );

  it('is a valid OpenAPI 3.1 document by @apidevtools/swagger-parser, every $ref resolving', async () => {
    expect(doc.openapi).to.equal('3.1.0');
    const validated = await SwaggerParser.validate(structuredClone(doc));
    expect(validated.info.title).to.equal("Vision'AI're Dashboard API");
    const text = JSON.stringify(doc);
    expect(text).to.not.include('#/definitions/');
    for (const ref of text.matchAll(/"\$ref":"#\/components\/(\w+)\/(\w+)"/g)) {
      expect((doc.components as Record<string, Record<string, unknown>>)[ref[1]!]?.[ref[2]!], ref[0]).to.not.equal(
        undefined,
      );
    }
  });

  it('keeps reusable schemas under components.schemas and shares the error responses', () => {
    expect(doc.components!.schemas).to.include.keys([
      'ErrorResponse',
      'DashboardResponse',
      'Metrics',
      'Badge',
      'ProgressUpdateRequest',
      'SubscribeRequest',
      'ResultsSummary',
    ]);
    expect(doc.components!.responses).to.include.keys([
      'BadRequest',
      'NotFound',
      'UnsupportedMediaType',
      'TooManyRequests',
      'Unauthorized',
      'InternalError',
      'ServiceUnavailable',
    ]);
    const dashboard = doc.paths!['/dashboard/{analysisId}']!.get!;
    expect(dashboard.responses['200']).to.have.nested.property(
      'content.application/json.schema.$ref',
      '#/components/schemas/DashboardResponse',
    );
    expect(dashboard.responses['404']).to.deep.equal({ $ref: '#/components/responses/NotFound' });
    expect(doc.components!.responses!.TooManyRequests).to.have.nested.property('headers.Retry-After');
    for (const { key, op } of operations()) {
      for (const [status, resp] of Object.entries(op.responses!)) {
        // Shared, never inlined: only a body of the operation's own (the health report, the unsubscribe page) may stand in place.
        if (Number(status) < 400 || '$ref' in resp) continue;
        expect(JSON.stringify(resp), `${key} ${status} inlines the shared error body`).to.not.include('ErrorResponse');
      }
    }
  });

  it('gives every operation an example, and marks the operator endpoints with the bearer token', () => {
    for (const { key, op } of operations()) {
      const success = Object.entries(op.responses!)
        .filter(([s]) => s.startsWith('2'))
        .map(([, r]) => r as OpenAPIV3_1.ResponseObject);
      expect(success, key).to.have.length.greaterThan(0);
      for (const r of success)
        for (const [type, media] of Object.entries(r.content ?? {}))
          expect(media.example, `${key} ${type}`).to.not.equal(undefined);
    }
    for (const { key, op } of operations()) expect(op.security, `${key} declares its security`).to.be.an('array');
    const secured = operations()
      .filter(({ op }) => op.security!.length > 0)
      .map(({ key }) => key)
      .sort();
    expect(secured).to.deep.equal([
      'GET /admin/analyses/{id}/consents',
      'GET /admin/console',
      'GET /admin/deliveries',
      'GET /admin/deliveries/failed',
      'GET /admin/subscriptions',
      'GET /admin/subscriptions/{id}',
      'GET /cache/stats',
      'GET /metrics',
      'POST /admin/deliveries/retry',
      'POST /admin/deliveries/{id}/retry',
      'POST /admin/subscriptions/{id}/reactivate',
      'POST /admin/subscriptions/{id}/resend-confirmation',
      'POST /analyses',
      'PUT /analyses/{id}/results',
    ]);
    expect(doc.components!.securitySchemes).to.deep.include({
      adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN (operator endpoints)' },
    });
  });

  it('documents path ids as UUIDs in any case', () => {
    const param = doc.paths!['/dashboard/{analysisId}']!.get!.parameters![0] as OpenAPIV3_1.ParameterObject;
    const schema = param.schema as OpenAPIV3_1.SchemaObject;
    expect(schema.format).to.equal('uuid');
    const pattern = new RegExp(schema.pattern!);
    expect(pattern.test('550E8400-E29B-41D4-A716-446655440000')).to.equal(true);
    expect(pattern.test('11111111-1111-1111-1111-111111111111')).to.equal(true);
  });

  it('generates TypeScript types with openapi-typescript that compile and describe the responses', async () => {
    const dir = path.resolve('.tmp', 'openapi-types');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'api.ts'), astToString(await openapiTS(structuredClone(doc) as never)));
    fs.writeFileSync(
      path.join(dir, 'usage.ts'),
      [
        "import type { paths, components } from './api.js';",
        "type Dashboard = paths['/dashboard/{analysisId}']['get']['responses'][200]['content']['application/json'];",
        'export const completion = (d: Dashboard): number => d.progress_summary.completion_percentage;',
        'export const rate = (d: Dashboard): number | null => d.metrics.money_saved.hourly_rate;',
        "export const body: paths['/dashboard/{analysisId}/progress']['post']['requestBody']['content']['application/json'] = { opportunity_id: 'value_creation', status: 'IMPLEMENTED' };",
        "export const error = (e: components['schemas']['ErrorResponse']): string => e.error + e.request_id;",
        '// @ts-expect-error a status the API does not know is a type error',
        "export const wrong: components['schemas']['ProgressUpdateRequest'] = { opportunity_id: 'x', status: 'DONE' };",
      ].join('\n'),
    );
    expect(typeErrors([path.join(dir, 'usage.ts')])).to.deep.equal([]);
  });
});

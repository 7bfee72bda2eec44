import { expect } from 'chai';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { OpenAPIV3_1 } from 'openapi-types';
import { apiRoutes } from '../../../src/http/app.js';
import { ErrorCode } from '../../../src/http/schemas.js';
import { api, startHarness, type Harness } from '../../helpers/harness.js';

const run = promisify(execFile);
const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
type Op = OpenAPIV3_1.OperationObject;
type Resp = OpenAPIV3_1.ResponseObject;

describe('the OpenAPI document says everything the server does', function () {
  this.timeout(120_000);
  let h: Harness;
  let doc: OpenAPIV3_1.Document;
  before(async () => {
    h = await startHarness('pglite');
    doc = (await api(h.baseUrl).get('/openapi.json')).body;
  });
  after(() => h?.close());

  const operations = () =>
    Object.entries(doc.paths!).flatMap(([p, item]) =>
      METHODS.filter((m) => item![m]).map((m) => ({ key: `${m.toUpperCase()} ${p}`, op: item![m] as Op })),
    );
  /** A response, its $ref to components.responses followed. */
  const resolve = (r: Resp | OpenAPIV3_1.ReferenceObject): Resp =>
    '$ref' in r ? (doc.components!.responses![r.$ref.split('/').pop()!] as Resp) : r;
  const schemaOf = (s: OpenAPIV3_1.SchemaObject | OpenAPIV3_1.ReferenceObject | undefined) =>
    (s && '$ref' in s ? doc.components!.schemas![s.$ref.split('/').pop()!] : s) as OpenAPIV3_1.SchemaObject;

  it('passes `redocly lint` with the recommended ruleset: 0 errors (examples included)', async () => {
    const dir = path.resolve('.tmp', 'openapi-lint');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'openapi.json');
    fs.writeFileSync(file, JSON.stringify(doc));
    const out = path.join(dir, 'lint.json');
    const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' };
    const bin = path.resolve('node_modules', '.bin', 'redocly');
    const result = await run(bin, ['lint', file, '--config', 'redocly.yaml', '--format', 'json'], {
      env,
      maxBuffer: 64 * 1024 * 1024,
    }).catch((err: { stdout: string; stderr: string }) => err);
    fs.writeFileSync(out, result.stdout);
    const report = JSON.parse(result.stdout) as {
      totals: { errors: number };
      problems: { ruleId: string; severity: string; message: string }[];
    };
    const errors = report.problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId}: ${p.message}`);
    expect(errors).to.deep.equal([]);
    expect(report.totals.errors).to.equal(0);
  });

  it('documents ETag, If-None-Match and 304 on every GET that answers with an ETag', () => {
    const conditional = operations().filter(({ op }) => op.responses!['304']);
    expect(conditional.map((o) => o.key).sort()).to.deep.equal([
      'GET /dashboard/{analysisId}',
      'GET /dashboard/{analysisId}/badges',
      'GET /dashboard/{analysisId}/metrics',
      'GET /dashboard/{analysisId}/recommendations',
      'GET /dashboard/{analysisId}/report.pdf',
    ]);
    for (const { key, op } of conditional) {
      expect(resolve(op.responses!['200']!).headers, key).to.have.property('ETag');
      expect(resolve(op.responses!['304']!).headers, key).to.have.property('ETag');
      const params = (op.parameters ?? []) as OpenAPIV3_1.ParameterObject[];
      expect(
        params.find((p) => p.in === 'header' && p.name === 'If-None-Match'),
        key,
      ).to.not.equal(undefined);
    }
  });

  it('documents Retry-After and the RateLimit-* headers on every 429, and Retry-After on every 503', () => {
    for (const { key, op } of operations()) {
      if (key === 'GET /health') {
        expect(op.responses!['429'], 'the health probe is never limited').to.equal(undefined);
        continue;
      }
      const limited = resolve(op.responses!['429']!);
      expect(limited.headers, key).to.include.keys([
        'Retry-After',
        'RateLimit-Limit',
        'RateLimit-Remaining',
        'RateLimit-Reset',
      ]);
      expect(resolve(op.responses!['503']!).headers, key).to.include.keys(['Retry-After']);
    }
  });

  it("types each error response's `error` as an enum of that operation's codes, all named by ErrorCode", () => {
    const all = schemaOf({ $ref: '#/components/schemas/ErrorCode' });
    expect(all.enum).to.deep.equal(ErrorCode.options);
    expect(schemaOf({ $ref: '#/components/schemas/ErrorResponse' }).properties!.error).to.deep.equal({
      $ref: '#/components/schemas/ErrorCode',
    });
    const enumOf = (key: string, status: string) => {
      const op = operations().find((o) => o.key === key)!.op;
      const body = schemaOf(resolve(op.responses![status]!).content!['application/json']!.schema);
      return (body.properties!.error as OpenAPIV3_1.SchemaObject).enum;
    };
    for (const { key, op } of operations())
      for (const status of Object.keys(op.responses!).filter((s) => Number(s) >= 400)) {
        if (key === 'GET /health') continue; // its 503 is the health report itself
        const codes = enumOf(key, status);
        expect(codes, `${key} ${status}`).to.be.an('array').with.length.greaterThan(0);
        expect(ErrorCode.options, `${key} ${status}`).to.include.members(codes!);
      }
    expect(enumOf('POST /dashboard/{analysisId}/progress', '404')).to.deep.equal([
      'NOT_FOUND',
      'OPPORTUNITY_NOT_FOUND',
    ]);
    expect(enumOf('POST /dashboard/{analysisId}/progress', '400')).to.deep.equal([
      'INVALID_INPUT',
      'INVALID_TRANSITION',
    ]);
    expect(enumOf('GET /dashboard/{analysisId}', '404')).to.deep.equal(['NOT_FOUND']);
    expect(enumOf('POST /unsubscribe/{token}', '401')).to.deep.equal(['UNAUTHORIZED']);
  });

  it('declares `security: []` on public operations and the bearer scheme on operator ones', () => {
    const admin = new Set(
      apiRoutes(h.container)
        .filter((r) => r.admin)
        .map((r) => r.operationId),
    );
    expect(admin.size).to.be.greaterThan(5);
    for (const { key, op } of operations())
      expect(op.security, key).to.deep.equal(admin.has(op.operationId!) ? [{ adminToken: [] }] : []);
  });

  it("gives examples that the route's own zod schemas accept", () => {
    for (const r of apiRoutes(h.container))
      for (const [status, resp] of Object.entries(r.responses))
        if (resp.schema && resp.example !== undefined) {
          const parsed = resp.schema.safeParse(resp.example);
          expect(parsed.success, `${r.operationId} ${status}: ${parsed.error?.message}`).to.equal(true);
        }
  });

  it('leaves no default in a request schema, so that generated types do not require what the server fills in', () => {
    const text = JSON.stringify(doc.components!.schemas!.ResultsSummary);
    expect(text).to.not.include('"default"');
    expect(text).to.include('Default when absent: \\"\\"');
  });
});

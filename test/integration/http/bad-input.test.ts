import { expect } from 'chai';
import { request } from 'node:http';
import { api, DB_MODES, startHarness, type Harness } from '../../helpers/harness.js';
import { SPEC_RESULTS, uniqueUrl } from '../../helpers/fixtures.js';

/** A request with any method and headers (fetch refuses TRACE and CONNECT-like methods). */
function raw(
  url: string,
  method: string,
  body = '',
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        headers: body
          ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers }
          : headers,
      },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined, headers: res.headers }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const TABLES = ['analyses', 'user_progress', 'progress_events', 'user_badges', 'email_subscriptions'];

for (const mode of DB_MODES) {
  describe(`bad input gets the contract's 4xx and changes nothing [${mode}]`, function () {
    let h: Harness;
    let client: ReturnType<typeof api>;
    let id: string;
    const snapshot = async () => {
      const out: Record<string, unknown[]> = {};
      for (const t of TABLES) out[t] = await h.container.db(t).select('*').orderBy('id');
      return JSON.stringify(out);
    };

    before(async () => {
      h = await startHarness(mode);
      client = api(h.baseUrl);
      id = (await client.post('/analyses', { url: uniqueUrl(), results_summary: SPEC_RESULTS })).body.analysis_id;
      await client.post(`/dashboard/${id}/progress`, {
        opportunity_id: 'digital_presence',
        status: 'IMPLEMENTED',
        hourly_rate: 50,
      });
      await client.post(`/dashboard/${id}/subscribe`, { email: 'owner@example.com', frequency: 'weekly' });
    });
    after(() => h.close());

    const unknownId = '11111111-2222-4333-8444-555555555555';
    const progressPath = () => `/dashboard/${id}/progress`;
    const cases: {
      name: string;
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are checked field by field
      send: () => Promise<{ status: number; body: any }>;
      status: number;
      error: string;
      field?: string;
    }[] = [
      {
        name: 'a malformed UUID',
        send: () => client.get('/dashboard/not-a-uuid'),
        status: 400,
        error: 'INVALID_INPUT',
        field: 'path.analysisId',
      },
      {
        name: 'a malformed UUID on progress',
        send: () =>
          client.post('/dashboard/123/progress', { opportunity_id: 'digital_presence', status: 'IN_PROGRESS' }),
        status: 400,
        error: 'INVALID_INPUT',
      },
      {
        name: 'an unknown analysis',
        send: () => client.get(`/dashboard/${unknownId}`),
        status: 404,
        error: 'NOT_FOUND',
      },
      {
        name: 'progress on an unknown analysis',
        send: () =>
          client.post(`/dashboard/${unknownId}/progress`, {
            opportunity_id: 'digital_presence',
            status: 'IN_PROGRESS',
          }),
        status: 404,
        error: 'NOT_FOUND',
      },
      {
        name: 'an unknown opportunity',
        send: () => client.post(progressPath(), { opportunity_id: 'invalid_id', status: 'IN_PROGRESS' }),
        status: 404,
        error: 'OPPORTUNITY_NOT_FOUND',
      },
      {
        name: 'an invalid transition',
        send: () => client.post(progressPath(), { opportunity_id: 'digital_presence', status: 'NOT_STARTED' }),
        status: 400,
        error: 'INVALID_TRANSITION',
      },
      {
        name: 'a bad status',
        send: () => client.post(progressPath(), { opportunity_id: 'value_creation', status: 'DONE' }),
        status: 400,
        error: 'INVALID_INPUT',
        field: 'body.status',
      },
      {
        name: 'a missing status',
        send: () => client.post(progressPath(), { opportunity_id: 'value_creation' }),
        status: 400,
        error: 'INVALID_INPUT',
        field: 'body.status',
      },
      {
        name: 'a rate below 20',
        send: () =>
          client.post(progressPath(), { opportunity_id: 'value_creation', status: 'IN_PROGRESS', hourly_rate: 19.99 }),
        status: 400,
        error: 'INVALID_INPUT',
        field: 'body.hourly_rate',
      },
      {
        name: 'a rate above 500',
        send: () =>
          client.post(`/dashboard/${id}/subscribe`, { email: 'x@example.com', frequency: 'weekly', hourly_rate: 501 }),
        status: 400,
        error: 'INVALID_INPUT',
        field: 'body.hourly_rate',
      },
      {
        name: 'a rate given as a string',
        send: () =>
          client.post(progressPath(), { opportunity_id: 'value_creation', status: 'IN_PROGRESS', hourly_rate: '50' }),
        status: 400,
        error: 'INVALID_INPUT',
        field: 'body.hourly_rate',
      },
      {
        name: 'a bad email',
        send: () => client.post(`/dashboard/${id}/subscribe`, { email: 'not-an-email', frequency: 'weekly' }),
        status: 400,
        error: 'INVALID_INPUT',
        field: 'body.email',
      },
      {
        name: 'a bad frequency',
        send: () => client.post(`/dashboard/${id}/subscribe`, { email: 'x@example.com', frequency: 'daily' }),
        status: 400,
        error: 'INVALID_INPUT',
        field: 'body.frequency',
      },
      {
        name: 'subscribe to an unknown analysis',
        send: () => client.post(`/dashboard/${unknownId}/subscribe`, { email: 'x@example.com', frequency: 'weekly' }),
        status: 404,
        error: 'NOT_FOUND',
      },
      {
        name: 'invalid JSON',
        send: () => client.post(progressPath(), '{"opportunity_id": "value_creation", "status": '),
        status: 400,
        error: 'INVALID_INPUT',
      },
      {
        name: 'a JSON array body',
        send: () => client.post(progressPath(), '[1,2,3]'),
        status: 400,
        error: 'INVALID_INPUT',
      },
      {
        name: 'a 2 MB body',
        send: () =>
          client.post(progressPath(), {
            opportunity_id: 'value_creation',
            status: 'IN_PROGRESS',
            padding: 'x'.repeat(2 * 1024 * 1024),
          }),
        status: 413,
        error: 'PAYLOAD_TOO_LARGE',
      },
      {
        name: 'a SQL-looking opportunity id',
        send: () =>
          client.post(progressPath(), {
            opportunity_id: "digital_presence'; DROP TABLE user_progress; --",
            status: 'IN_PROGRESS',
          }),
        status: 404,
        error: 'OPPORTUNITY_NOT_FOUND',
      },
      {
        name: 'a SQL-looking id in the path',
        send: () => client.get(`/dashboard/${encodeURIComponent("1' OR '1'='1")}`),
        status: 400,
        error: 'INVALID_INPUT',
      },
      {
        name: 'a SQL-looking email',
        send: () => client.post(`/dashboard/${id}/subscribe`, { email: "a@b.c' OR 1=1 --", frequency: 'weekly' }),
        status: 400,
        error: 'INVALID_INPUT',
      },
      {
        name: 'a SQL-looking URL on intake',
        send: () => client.post('/analyses', { url: "'; DELETE FROM analyses; --" }),
        status: 400,
        error: 'INVALID_INPUT',
        field: 'url',
      },
      {
        name: 'an invalid results_summary',
        send: () =>
          client.post('/analyses', {
            url: uniqueUrl(),
            results_summary: {
              identity_a1: { company_name: 'X' },
              value_creation: { hours_per_week: 5, complexity_level: 11 },
            },
          }),
        status: 400,
        error: 'INVALID_INPUT',
        field: 'body.results_summary.value_creation.complexity_level',
      },
      {
        name: 'results for an unknown analysis',
        send: () => client.put(`/analyses/${unknownId}/results`, { results_summary: SPEC_RESULTS }),
        status: 404,
        error: 'NOT_FOUND',
      },
      {
        name: 'results for a complete analysis',
        send: () => client.put(`/analyses/${id}/results`, { results_summary: SPEC_RESULTS }),
        status: 400,
        error: 'INVALID_TRANSITION',
      },
      { name: 'an unknown route', send: () => client.get('/nope'), status: 404, error: 'NOT_FOUND' },
      {
        name: 'a __proto__ key',
        send: () =>
          client.post(
            progressPath(),
            '{"opportunity_id":"value_creation","status":"IN_PROGRESS","__proto__":{"isAdmin":true}}',
          ),
        status: 400,
        error: 'INVALID_INPUT',
        field: 'body',
      },
      {
        name: 'a nested constructor key',
        send: () =>
          client.post(`/dashboard/${id}/subscribe`, {
            email: 'x@example.com',
            frequency: 'weekly',
            extra: { constructor: { prototype: 1 } },
          }),
        status: 400,
        error: 'INVALID_INPUT',
        field: 'body.extra.constructor',
      },
      {
        name: 'a prototype key in the query',
        send: () => client.get(`/dashboard/${id}/report.pdf?prototype=1`),
        status: 400,
        error: 'INVALID_INPUT',
        field: 'query.prototype',
      },
      {
        name: 'Content-Encoding: gzip on a plain body',
        send: () =>
          raw(h.baseUrl + progressPath(), 'POST', '{"opportunity_id":"value_creation","status":"IN_PROGRESS"}', {
            'content-encoding': 'gzip',
          }),
        status: 415,
        error: 'UNSUPPORTED_MEDIA_TYPE',
      },
      {
        name: 'Content-Encoding: br on a plain body',
        send: () =>
          raw(h.baseUrl + `/dashboard/${id}/subscribe`, 'POST', '{"email":"y@example.com","frequency":"weekly"}', {
            'content-encoding': 'br',
          }),
        status: 415,
        error: 'UNSUPPORTED_MEDIA_TYPE',
      },
      {
        name: 'a NUL byte in company_name',
        send: () =>
          client.post('/analyses', {
            url: uniqueUrl(),
            results_summary: { ...SPEC_RESULTS, identity_a1: { company_name: 'Acme\u0000Inc' } },
          }),
        status: 400,
        error: 'INVALID_INPUT',
        field: 'body.results_summary.identity_a1.company_name',
      },
      {
        name: 'a lone surrogate in company_name',
        send: () =>
          client.post('/analyses', {
            url: uniqueUrl(),
            results_summary: { ...SPEC_RESULTS, identity_a1: { company_name: 'Acme \ud800' } },
          }),
        status: 400,
        error: 'INVALID_INPUT',
        field: 'body.results_summary.identity_a1.company_name',
      },
      {
        name: 'a NUL byte in the query',
        send: () => client.get(`/dashboard/${id}/report.pdf?sections=summary%00`),
        status: 400,
        error: 'INVALID_INPUT',
        field: 'query.sections',
      },
      {
        name: 'TRACE',
        send: () => raw(h.baseUrl + `/dashboard/${id}`, 'TRACE'),
        status: 405,
        error: 'METHOD_NOT_ALLOWED',
      },
      {
        name: 'PROPFIND with a body',
        send: () => raw(h.baseUrl + '/health', 'PROPFIND', '{"email":"z@example.com"}'),
        status: 405,
        error: 'METHOD_NOT_ALLOWED',
      },
      {
        name: 'DELETE on a GET route',
        send: () => client.call('DELETE', `/dashboard/${id}`),
        status: 405,
        error: 'METHOD_NOT_ALLOWED',
      },
    ];

    for (const c of cases) {
      it(`${c.name} → ${c.status} ${c.error}`, async () => {
        const before = await snapshot();
        const res = await c.send();
        expect(res.status, JSON.stringify(res.body)).to.equal(c.status);
        expect(res.body).to.have.keys(
          c.error === 'INVALID_INPUT'
            ? ['error', 'detail', 'timestamp', 'request_id', 'fields']
            : ['error', 'detail', 'timestamp', 'request_id'],
        );
        expect(res.body.error).to.equal(c.error);
        expect(res.body.detail).to.be.a('string').with.length.greaterThan(0);
        expect(new Date(res.body.timestamp).toString()).to.not.equal('Invalid Date');
        if (c.field) expect(res.body.fields.map((f: { field: string }) => f.field)).to.include(c.field);
        expect(await snapshot()).to.equal(before);
      });
    }

    it('never leaks internals in a 500 body', async () => {
      // Inject a fault: the badge definitions table disappears under a running service.
      await h.container.db.raw('ALTER TABLE badge_definitions RENAME TO badge_definitions_gone');
      try {
        const res = await client.post(progressPath(), { opportunity_id: 'value_creation', status: 'IN_PROGRESS' });
        expect(res.status).to.equal(500);
        expect(res.body.error).to.equal('INTERNAL_SERVER_ERROR');
        expect(JSON.stringify(res.body)).to.not.match(/badge_definitions|relation|select/i);
        expect(
          await h.container.db('progress_events').where({ analysis_id: id, opportunity_id: 'value_creation' }),
        ).to.have.length(0);
      } finally {
        await h.container.db.raw('ALTER TABLE badge_definitions_gone RENAME TO badge_definitions');
      }
    });
  });
}

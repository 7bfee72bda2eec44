import { expect } from 'chai';
import { api, DB_MODES, startHarness, useHarness, type Harness } from '../../helpers/harness.js';
import { SPEC_RESULTS, uniqueUrl } from '../../helpers/fixtures.js';
import { expectDocumented } from '../../helpers/documented.js';

const FRONTEND = 'http://localhost:3000';
const FOREIGN = 'https://evil.example';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const TABLES = ['analyses', 'user_progress', 'progress_events', 'user_badges', 'email_subscriptions'];

const statusOf = (body: { opportunities: { opportunity_id: string; status: string }[] }, id: string) =>
  body.opportunities.find((o) => o.opportunity_id === id)?.status;

for (const mode of DB_MODES) {
  // PostgreSQL runs with Redis, PGlite with the in-process cache: the two ways the service is deployed.
  const redis = mode === 'postgres';
  describe(`the API as a browser frontend uses it [${mode} + ${redis ? 'redis' : 'memory'}]`, function () {
    const t = useHarness(mode, { redis, env: { PUBLIC_URL: 'https://api.example.com' } });
    const create = async () =>
      (await t.client.post('/analyses', { url: uniqueUrl(), results_summary: SPEC_RESULTS })).body
        .analysis_id as string;
    const snapshot = async () => {
      const out: Record<string, unknown[]> = {};
      for (const table of TABLES) out[table] = await t.h.container.db(table).select('*').orderBy('id');
      return JSON.stringify(out);
    };

    it('shows an upper-case write at once through the lower-case id, and answers with the lower-case id', async () => {
      const id = await create();
      for (const p of ['', '/metrics', '/recommendations', '/badges'])
        expect((await t.client.get(`/dashboard/${id}${p}`)).status).to.equal(200);
      const res = await t.client.post(`/dashboard/${id.toUpperCase()}/progress`, {
        opportunity_id: 'value_creation',
        status: 'IMPLEMENTED',
        hourly_rate: 80,
      });
      expect(res.status).to.equal(200);
      expect(res.body.analysis_id).to.equal(id);
      const dashboard = await t.client.get(`/dashboard/${id}`);
      expect(statusOf(dashboard.body, 'value_creation')).to.equal('IMPLEMENTED');
      expect((await t.client.get(`/dashboard/${id}/metrics`)).body.money_saved.hourly_rate).to.equal(80);
      expect(
        (await t.client.get(`/dashboard/${id}/recommendations`)).body.recommendations.map(
          (r: { opportunity_id: string }) => r.opportunity_id,
        ),
      ).to.not.include('value_creation');
      const upper = await t.client.get(`/dashboard/${id.toUpperCase()}`);
      expect(upper.body.analysis_id).to.equal(id);
      expect(statusOf(upper.body, 'value_creation')).to.equal('IMPLEMENTED');
    });

    it('accepts any 8-4-4-4-12 hex UUID: an unknown one is 404, not 400', async () => {
      for (const unknown of ['11111111-1111-1111-1111-111111111111', 'ABCDEF00-0000-0000-0000-000000000000']) {
        const res = await t.client.get(`/dashboard/${unknown}`);
        expect(res.status, unknown).to.equal(404);
        expect(res.body.error).to.equal('NOT_FOUND');
        expect(res.body.detail).to.include(unknown.toLowerCase());
      }
      expect((await t.client.get('/dashboard/11111111-1111-1111-1111-11111111111')).status).to.equal(400);
    });

    it('answers a preflight from the frontend with the methods and headers in use, and a foreign origin with none', async () => {
      const id = await create();
      const preflight = (origin: string) =>
        fetch(`${t.h.baseUrl}/dashboard/${id}/progress`, {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'content-type',
          },
        });
      const allowed = await preflight(FRONTEND);
      expect(allowed.status).to.equal(204);
      expect(allowed.headers.get('access-control-allow-origin')).to.equal(FRONTEND);
      expect(allowed.headers.get('access-control-allow-methods')).to.equal('GET,HEAD,POST,PUT,PATCH,DELETE');
      expect(allowed.headers.get('access-control-allow-headers')!.toLowerCase())
        .to.include('content-type')
        .and.include('if-none-match');
      expect(allowed.headers.get('vary')).to.include('Origin');
      const foreign = await preflight(FOREIGN);
      expect(foreign.headers.get('access-control-allow-origin')).to.equal(null);
      expect(foreign.headers.get('access-control-allow-methods')).to.equal(null);

      const write = await t.client.post(
        `/dashboard/${id}/progress`,
        { opportunity_id: 'value_creation', status: 'IN_PROGRESS' },
        { origin: FRONTEND },
      );
      expect(write.headers.get('access-control-allow-origin')).to.equal(FRONTEND);
      expect(write.headers.get('access-control-expose-headers'))
        .to.include('ETag')
        .and.include('RateLimit-Remaining')
        .and.include('Retry-After');
      const foreignWrite = await t.client.post(
        `/dashboard/${id}/progress`,
        { opportunity_id: 'value_creation', status: 'IN_PROGRESS' },
        { origin: FOREIGN },
      );
      expect(foreignWrite.headers.get('access-control-allow-origin')).to.equal(null);
      const error = await t.client.call('GET', '/dashboard/11111111-1111-1111-1111-111111111111', undefined, {
        origin: FRONTEND,
      });
      expect(error.headers.get('access-control-allow-origin'), 'errors are readable by the frontend too').to.equal(
        FRONTEND,
      );
    });

    it('answers a cross-site form POST 415 UNSUPPORTED_MEDIA_TYPE and changes nothing', async () => {
      const id = await create();
      const before = await snapshot();
      const cases = [
        { path: `/dashboard/${id}/progress`, body: 'opportunity_id=value_creation&status=IMPLEMENTED' },
        { path: `/dashboard/${id}/subscribe`, body: 'email=victim%40example.com&frequency=weekly' },
        { path: '/analyses', body: 'url=https%3A%2F%2Fform.example.org' },
      ];
      for (const c of cases) {
        for (const headers of [
          FORM,
          { 'content-type': 'text/plain' },
          { 'content-type': 'multipart/form-data; boundary=x' },
        ]) {
          const res = await t.client.post(c.path, c.body, { ...headers, origin: FOREIGN });
          expect(res.status, `${c.path} ${headers['content-type']}`).to.equal(415);
          expect(res.body).to.have.keys(['error', 'detail', 'timestamp', 'request_id']);
          expect(res.body.error).to.equal('UNSUPPORTED_MEDIA_TYPE');
        }
      }
      expect(await snapshot()).to.equal(before);
      const json = await t.client.post(
        `/dashboard/${id}/progress`,
        { opportunity_id: 'value_creation', status: 'IN_PROGRESS' },
        { 'content-type': 'application/json; charset=utf-8' },
      );
      expect(json.status, 'JSON with a charset is JSON').to.equal(200);
    });

    it('puts the security headers on JSON, PDF, error and HTML responses (HSTS when PUBLIC_URL is https)', async () => {
      const id = await create();
      const json = await fetch(`${t.h.baseUrl}/dashboard/${id}`);
      const pdf = await fetch(`${t.h.baseUrl}/dashboard/${id}/report.pdf?sections=summary`);
      const error = await fetch(`${t.h.baseUrl}/dashboard/nope`);
      const html = await fetch(
        `${t.h.baseUrl}/unsubscribe/AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`,
        { headers: { accept: 'text/html' } },
      );
      expect(html.headers.get('content-type')).to.match(/^text\/html/);
      for (const res of [json, pdf, error, html]) {
        expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
        expect(res.headers.get('x-frame-options')).to.equal('DENY');
        expect(res.headers.get('referrer-policy')).to.equal('no-referrer');
        expect(res.headers.get('strict-transport-security')).to.equal('max-age=31536000; includeSubDomains');
        expect(res.headers.get('content-security-policy'))
          .to.include("frame-ancestors 'none'")
          .and.include("default-src 'none'");
      }
      expect(json.headers.get('content-security-policy')).to.equal("default-src 'none'; frame-ancestors 'none'");
      const pageCsp = html.headers.get('content-security-policy')!;
      expect(pageCsp).to.include("form-action 'self'").and.not.include('script-src');
    });

    it('answers every endpoint with a body that matches its documented schema', async () => {
      const c = t.h.container;
      const intake = await t.client.post('/analyses', { url: uniqueUrl(), results_summary: SPEC_RESULTS });
      expectDocumented(c, 'createAnalysis', intake);
      const id = intake.body.analysis_id as string;
      expectDocumented(
        c,
        'createAnalysis',
        await t.client.post('/analyses', { url: (await t.client.get(`/analyses/${id}`)).body.url }),
      );
      const pending = await t.client.post('/analyses', { url: uniqueUrl() });
      expectDocumented(
        c,
        'completeAnalysis',
        await t.client.put(`/analyses/${pending.body.analysis_id}/results`, { results_summary: SPEC_RESULTS }),
      );
      expectDocumented(c, 'getAnalysis', await t.client.get(`/analyses/${id.toUpperCase()}`));
      expectDocumented(
        c,
        'updateProgress',
        await t.client.post(`/dashboard/${id}/progress`, {
          opportunity_id: 'digital_presence',
          status: 'IMPLEMENTED',
          hourly_rate: 50,
        }),
      );
      expectDocumented(c, 'getDashboard', await t.client.get(`/dashboard/${id}`));
      expectDocumented(c, 'getMetrics', await t.client.get(`/dashboard/${id}/metrics`));
      expectDocumented(c, 'getRecommendations', await t.client.get(`/dashboard/${id}/recommendations`));
      expectDocumented(c, 'getBadges', await t.client.get(`/dashboard/${id}/badges`));
      const sub = await t.client.post(`/dashboard/${id}/subscribe`, {
        email: 'owner@example.com',
        frequency: 'weekly',
      });
      expect(sub.status).to.be.oneOf([200, 201]);
      expectDocumented(c, 'subscribeReports', sub);
      expectDocumented(c, 'cacheStats', await t.client.get('/cache/stats'));
      expectDocumented(c, 'health', await t.client.get('/health'));
      // Errors have the documented error body.
      expectDocumented(c, 'getDashboard', await t.client.get('/dashboard/11111111-1111-1111-1111-111111111111'));
      expectDocumented(
        c,
        'updateProgress',
        await t.client.post(`/dashboard/${id}/progress`, { opportunity_id: 'digital_presence', status: 'NOT_STARTED' }),
      );
      expectDocumented(c, 'updateProgress', await t.client.post(`/dashboard/${id}/progress`, 'status=x', FORM));
    });
  });
}

describe('canonical ids on two instances sharing Redis [postgres + redis]', function () {
  let a: Harness;
  let b: Harness;
  before(async () => {
    a = await startHarness('postgres', { redis: true });
    b = await startHarness('postgres', { redis: true, env: { CACHE_NAMESPACE: a.container.config.cacheNamespace } });
  });
  after(async () => {
    await a?.close();
    await b?.close();
  });

  it('makes an upper-case write on one instance visible at once through the lower-case id on the other', async () => {
    const id = (await api(a.baseUrl).post('/analyses', { url: uniqueUrl(), results_summary: SPEC_RESULTS })).body
      .analysis_id as string;
    for (const h of [a, b])
      for (const p of ['', '/metrics', '/badges'])
        expect((await api(h.baseUrl).get(`/dashboard/${id}${p}`)).status).to.equal(200);
    const write = await api(a.baseUrl).post(`/dashboard/${id.toUpperCase()}/progress`, {
      opportunity_id: 'value_creation',
      status: 'IMPLEMENTED',
      hourly_rate: 90,
    });
    expect(write.status).to.equal(200);
    const seen = await api(b.baseUrl).get(`/dashboard/${id}`);
    expect(statusOf(seen.body, 'value_creation')).to.equal('IMPLEMENTED');
    expect((await api(b.baseUrl).get(`/dashboard/${id}/metrics`)).body.money_saved.hourly_rate).to.equal(90);
    expect(
      (await api(b.baseUrl).get(`/dashboard/${id}/badges`)).body.badges.map(
        (x: { badge_type: string }) => x.badge_type,
      ),
    ).to.include('first_step');
    // And the same the other way round: a lower-case write seen through an upper-case read.
    await api(b.baseUrl).post(`/dashboard/${id}/progress`, {
      opportunity_id: 'digital_presence',
      status: 'IN_PROGRESS',
    });
    expect(statusOf((await api(a.baseUrl).get(`/dashboard/${id.toUpperCase()}`)).body, 'digital_presence')).to.equal(
      'IN_PROGRESS',
    );
  });
});

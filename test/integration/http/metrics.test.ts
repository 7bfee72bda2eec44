import { expect } from 'chai';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { api, DB_MODES, startHarness, type Harness } from '../../helpers/harness.js';
import { SPEC_RESULTS, uniqueUrl } from '../../helpers/fixtures.js';
import { captureLogs } from '../../helpers/log-capture.js';

type Family = {
  name: string;
  type: string;
  metrics: { labels?: Record<string, string>; value?: string; buckets?: Record<string, string>; count?: string }[];
};

for (const mode of DB_MODES) {
  const redis = mode === 'postgres';
  describe(`GET /metrics and the access log [${mode} + ${redis ? 'redis' : 'memory'}]`, function () {
    let h: Harness;
    const logs = captureLogs('info');
    before(async () => {
      h = await startHarness(mode, {
        redis,
        env: { RATE_LIMIT_PER_MINUTE: '1000' },
        overrides: { logger: logs.logger },
      });
    });
    after(() => h.close());

    it('serves the Prometheus text format with the request histogram and the service figures', async () => {
      const client = api(h.baseUrl);
      const id = (await client.post('/analyses', { url: uniqueUrl(), results_summary: SPEC_RESULTS })).body
        .analysis_id as string;
      await client.post(`/dashboard/${id}/progress`, { opportunity_id: 'digital_presence', status: 'IMPLEMENTED' });
      for (let i = 0; i < 3; i++) await client.get(`/dashboard/${id}`);
      for (let i = 0; i < 6; i++) await fetch(`${h.baseUrl}/dashboard/${id}/report.pdf?sections=summary`);

      const res = await fetch(`${h.baseUrl}/metrics`);
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
      const text = await res.text();
      const families = parsePrometheusTextFormat(text) as Family[];
      const family = (name: string) => {
        const f = families.find((x) => x.name === name);
        expect(f, name).to.not.equal(undefined);
        return f!;
      };
      const value = (name: string, labels: Record<string, string>) =>
        Number(family(name).metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value);

      const histogram = family('http_request_duration_seconds');
      expect(histogram.type).to.equal('HISTOGRAM');
      expect(Object.keys(histogram.metrics[0]!.buckets!)).to.include('+Inf');
      // The parser merges a histogram's label sets into one, so the per-route series are read from the text.
      const dashboard = 'method="GET",route="/api/v1/dashboard/:analysisId",status="200"';
      expect(text, 'by route template, never the raw path').to.include(
        `http_request_duration_seconds_count{${dashboard}} 3`,
      );
      expect(text).to.include(`http_request_duration_seconds_bucket{le="+Inf",${dashboard}} 3`);
      expect(text).to.not.include(id);

      expect(value('cache_lookups_total', { kind: 'dashboard', result: 'hit' })).to.equal(2);
      expect(value('cache_lookups_total', { kind: 'dashboard', result: 'miss' })).to.equal(1);
      expect(value('badges_awarded', { type: 'first_step' })).to.be.at.least(1);
      expect(value('rate_limit_rejections_total', { limit: 'report-pdf' })).to.equal(1);
      expect(family('report_deliveries').type).to.equal('GAUGE');
      if (mode === 'postgres')
        expect(Number.isNaN(value('db_pool_connections', { state: 'used' })), 'pool use').to.equal(false);
      expect(family('process_cpu_user_seconds_total').type).to.equal('COUNTER');
      expect(family('nodejs_eventloop_lag_seconds').type).to.equal('GAUGE');
    });

    it('logs one line per request: method, route template, status, duration and request id; no query string or email', async () => {
      const client = api(h.baseUrl);
      const id = (await client.post('/analyses', { url: uniqueUrl(), results_summary: SPEC_RESULTS })).body
        .analysis_id as string;
      await client.post(`/dashboard/${id}/subscribe`, { email: 'secret.person@example.com', frequency: 'weekly' });
      await fetch(`${h.baseUrl}/dashboard/${id}/report.pdf?sections=summary&token=s3cr3t-query-token`, {
        headers: { 'x-request-id': 'trace-access-log' },
      });
      const lines = logs
        .text()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((l) => l.msg === 'request');
      const pdf = lines.find((l) => l.request_id === 'trace-access-log');
      expect(pdf).to.include({ method: 'GET', route: '/api/v1/dashboard/:analysisId/report.pdf', status: 200 });
      expect(pdf!.duration_ms).to.be.a('number');
      const subscribe = lines.filter((l) => l.route === '/api/v1/dashboard/:analysisId/subscribe');
      expect(subscribe).to.have.length(1);
      expect(subscribe[0]).to.include({ method: 'POST', status: 201 });
      expect(logs.text()).to.not.include('s3cr3t-query-token').and.not.include('secret.person');
    });
  });
}

describe('GET /metrics with ADMIN_TOKEN set', function () {
  let h: Harness;
  before(async () => {
    h = await startHarness('pglite', { env: { ADMIN_TOKEN: 'metrics-token-0123456789' } });
  });
  after(() => h.close());

  it('needs the token', async () => {
    expect((await fetch(`${h.baseUrl}/metrics`)).status).to.equal(401);
    expect(
      (await fetch(`${h.baseUrl}/metrics`, { headers: { authorization: 'Bearer metrics-token-0123456789' } })).status,
    ).to.equal(200);
  });
});

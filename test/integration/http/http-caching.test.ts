import { expect } from 'chai';
import { statements } from '../../helpers/queries.js';
import type { Harness } from '../../helpers/harness.js';
import { CACHE_BACKENDS, specAnalysis, startCacheHarness } from '../../helpers/cache.js';
import { listEarnedBadges } from '../../../src/db/badge-repo.js';
import { computeMetrics } from '../../../src/domain/metrics.js';
import { progressSummary } from '../../../src/domain/progress.js';
import { loadAnalysisState } from '../../../src/services/analysis-state.js';

/** The dashboard as it was composed before the one-query load: the row, its progress and its badges read apart. */
async function dashboardFromSeparateQueries(h: Harness, id: string) {
  const { analysis, items } = await h.container.db.transaction((trx) =>
    loadAnalysisState(trx, id, { forUpdate: true }),
  );
  const badges = await listEarnedBadges(h.container.db, id);
  return {
    analysis_id: analysis.id,
    url: analysis.url,
    status: analysis.status,
    identity: analysis.results_summary?.identity_a1 ?? null,
    opportunities: items,
    progress_summary: progressSummary(items),
    badges,
    metrics: computeMetrics(items, analysis.hourly_rate),
    time_zone: analysis.time_zone ?? h.container.config.reportTimeZone,
    created_at: analysis.created_at,
    completed_at: analysis.completed_at,
  };
}

/** Counts the SQL statements the container's knex sends while `fn` runs. */
async function countQueries(h: Harness, fn: () => Promise<unknown>): Promise<{ count: number; sql: string[] }> {
  const sql = await statements(h, fn);
  return { count: sql.length, sql };
}

const get = (h: Harness, path: string, headers: Record<string, string> = {}) => fetch(h.baseUrl + path, { headers });

for (const backend of CACHE_BACKENDS) {
  describe(`HTTP caching of the dashboard reads [${backend}]`, function () {
    let h: Harness;
    before(async () => {
      h = await startCacheHarness(backend);
    });
    after(() => h.close());

    it('sends cached dashboards byte for byte as JSON.stringify of the uncached one', async () => {
      const id = await specAnalysis(h.baseUrl);
      await h.container.progress.updateProgress(id, {
        opportunity_id: 'digital_presence',
        status: 'IMPLEMENTED',
        hourly_rate: 50,
      });
      const expected = JSON.stringify(await dashboardFromSeparateQueries(h, id));
      expect(JSON.stringify(await h.container.dashboard.loadDashboard(id))).to.equal(expected);
      for (const round of ['miss', 'hit']) {
        const res = await get(h, `/dashboard/${id}`);
        expect(res.status, round).to.equal(200);
        expect(res.headers.get('content-type')).to.equal('application/json; charset=utf-8');
        const bytes = Buffer.from(await res.arrayBuffer());
        expect(bytes.toString('utf8'), round).to.equal(expected);
        expect(res.headers.get('content-length')).to.equal(String(bytes.length));
      }
      const metrics = Buffer.from(await (await get(h, `/dashboard/${id}/metrics`)).arrayBuffer()).toString('utf8');
      expect(metrics).to.equal(JSON.stringify(JSON.parse(expected).metrics));
      const badges = Buffer.from(await (await get(h, `/dashboard/${id}/badges`)).arrayBuffer()).toString('utf8');
      expect(badges).to.equal(JSON.stringify(await h.container.badges.loadBadgesOverview(id)));
    });

    for (const path of ['', '/metrics', '/recommendations']) {
      it(`answers If-None-Match on GET /dashboard/:id${path} with 304 and no database query`, async () => {
        const id = await specAnalysis(h.baseUrl);
        const first = await get(h, `/dashboard/${id}${path}`);
        expect(first.status).to.equal(200);
        const etag = first.headers.get('etag')!;
        expect(etag).to.match(/^"[\w-]{20,}"$/);
        expect(first.headers.get('cache-control')).to.equal('private, no-cache');

        let res!: Response;
        const { count, sql } = await countQueries(h, async () => {
          res = await get(h, `/dashboard/${id}${path}`, { 'if-none-match': etag });
        });
        expect(res.status).to.equal(304);
        expect(await res.text()).to.equal('');
        expect(res.headers.get('etag')).to.equal(etag);
        expect(res.headers.get('cache-control')).to.equal('private, no-cache');
        expect(count, sql.join('; ')).to.equal(0);

        const other = await get(h, `/dashboard/${id}${path}`, { 'if-none-match': '"something-else"' });
        expect(other.status).to.equal(200);
      });
    }

    it('changes the ETag once a write has returned, and answers the old one with 200', async () => {
      const id = await specAnalysis(h.baseUrl);
      const before = (await get(h, `/dashboard/${id}`)).headers.get('etag')!;
      const post = await fetch(`${h.baseUrl}/dashboard/${id}/progress`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ opportunity_id: 'value_creation', status: 'IN_PROGRESS' }),
      });
      expect(post.status).to.equal(200);
      const res = await get(h, `/dashboard/${id}`, { 'if-none-match': before });
      expect(res.status).to.equal(200);
      expect(res.headers.get('etag')).to.not.equal(before);
      expect(
        ((await res.json()) as { progress_summary: { in_progress: number } }).progress_summary.in_progress,
      ).to.equal(1);
    });

    it('gives the PDF an ETag and a Content-Length, and answers a matching If-None-Match with 304', async () => {
      const id = await specAnalysis(h.baseUrl);
      const res = await get(h, `/dashboard/${id}/report.pdf?sections=summary`);
      expect(res.status).to.equal(200);
      const pdf = Buffer.from(await res.arrayBuffer());
      expect(res.headers.get('content-length')).to.equal(String(pdf.length));
      const etag = res.headers.get('etag')!;
      expect(etag).to.match(/^"[\w-]{20,}"$/);
      const again = await get(h, `/dashboard/${id}/report.pdf?sections=summary`, { 'if-none-match': etag });
      expect(again.status).to.equal(304);
    });
  });
}

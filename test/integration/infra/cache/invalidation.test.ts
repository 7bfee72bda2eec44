import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { api, type Harness } from '../../../helpers/harness.js';
import { SPEC_RESULTS } from '../../../helpers/fixtures.js';
import { parseImportFile } from '../../../../src/domain/import-file.js';
import {
  CACHE_BACKENDS,
  LoadProbe,
  REDIS_DESIGNS,
  specAnalysis,
  startCacheHarness,
  statusOf,
} from '../../../helpers/cache.js';

for (const backend of CACHE_BACKENDS) {
  describe(`cache invalidation [${backend}]`, function () {
    let h: Harness;
    let client: ReturnType<typeof api>;
    const probe = new LoadProbe();
    before(async () => {
      h = await startCacheHarness(backend, { probe });
      client = api(h.baseUrl);
    });
    after(() => h.close());

    it('serves repeated reads from the cache', async () => {
      const id = await specAnalysis(h.baseUrl);
      for (let i = 0; i < 3; i++) expect((await client.get(`/dashboard/${id}`)).status).to.equal(200);
      expect(probe.count(`dashboard:${id}`)).to.equal(1);
    });

    it('shows a progress change on every cached view as soon as POST /progress has returned', async () => {
      const id = await specAnalysis(h.baseUrl);
      const paths = ['', '/metrics', '/recommendations', '/badges'].map((p) => `/dashboard/${id}${p}`);
      for (const p of paths) await client.get(p);
      const res = await client.post(`/dashboard/${id}/progress`, {
        opportunity_id: 'value_creation',
        status: 'IMPLEMENTED',
        hourly_rate: 100,
      });
      expect(res.status).to.equal(200);

      const [dashboard, metrics, recs, badges] = await Promise.all(paths.map((p) => client.get(p)));
      expect(statusOf(dashboard!.body, 'value_creation')).to.equal('IMPLEMENTED');
      expect(dashboard!.body.progress_summary.implemented).to.equal(1);
      expect(metrics!.body.time_saved.implemented_weekly).to.equal(8);
      expect(metrics!.body.money_saved.hourly_rate).to.equal(100);
      expect(recs!.body.recommendations.map((r: { opportunity_id: string }) => r.opportunity_id)).to.not.include(
        'value_creation',
      );
      expect(badges!.body.badges.map((b: { badge_type: string }) => b.badge_type)).to.include('first_step');
    });

    it('shows an hourly rate given to POST /subscribe in the cached metrics', async () => {
      const id = await specAnalysis(h.baseUrl);
      expect((await client.get(`/dashboard/${id}/metrics`)).body.money_saved.hourly_rate).to.equal(null);
      const sub = await client.post(`/dashboard/${id}/subscribe`, {
        email: 'owner@example.com',
        frequency: 'weekly',
        hourly_rate: 75,
      });
      expect(sub.status).to.equal(201);
      expect((await client.get(`/dashboard/${id}/metrics`)).body.money_saved.hourly_rate).to.equal(75);
    });

    it('replaces a cached PENDING dashboard once the results are completed', async () => {
      const created = await client.post('/analyses', { url: `https://pending-${randomUUID()}.example.org/` });
      const id = created.body.analysis_id;
      expect((await client.get(`/dashboard/${id}`)).body).to.include({ status: 'PENDING' });
      expect((await client.put(`/analyses/${id}/results`, { results_summary: SPEC_RESULTS })).status).to.equal(200);
      const after = await client.get(`/dashboard/${id}`);
      expect(after.body.status).to.equal('COMPLETE');
      expect(after.body.opportunities).to.have.length(3);
    });

    it('shows badges awarded by the backfill (badges reevaluate)', async () => {
      const id = await specAnalysis(h.baseUrl);
      expect((await client.get(`/dashboard/${id}/badges`)).body.badges).to.deep.equal([]);
      // Progress written out of band, as before a badge rule existed: the cache cannot know.
      await h.container.db('user_progress').insert({
        analysis_id: id,
        opportunity_id: 'digital_presence',
        opportunity_category: 'digital_presence',
        status: 'IN_PROGRESS',
      });
      expect((await client.get(`/dashboard/${id}/badges`)).body.badges).to.deep.equal([]);
      const { awarded } = await h.container.badges.reevaluate(id);
      expect(awarded.map((b) => b.badge_type)).to.include('first_step');
      expect(
        (await client.get(`/dashboard/${id}/badges`)).body.badges.map((b: { badge_type: string }) => b.badge_type),
      ).to.include('first_step');
    });

    it('covers cached PDF reports (report:*) and gives Buffers back as such', async () => {
      const id = await specAnalysis(h.baseUrl);
      const cache = h.container.cache;
      let version = 0;
      const render = async () => Buffer.from(`%PDF-1.7 v${++version} \u00e9`);
      const first = await cache.wrapAnalysis(id, 'report:summary,badges', 3600, render);
      const second = await cache.wrapAnalysis(id, 'report:summary,badges', 3600, render);
      expect(Buffer.isBuffer(second)).to.equal(true);
      expect(second.equals(first)).to.equal(true);
      expect(version).to.equal(1);
      expect(probe.count(`report:${id}:summary,badges`)).to.equal(1);

      await client.post(`/dashboard/${id}/progress`, { opportunity_id: 'digital_presence', status: 'IN_PROGRESS' });
      expect((await cache.wrapAnalysis(id, 'report:summary,badges', 3600, render)).toString()).to.match(/v2/);

      const dashboard = await h.container.dashboard.dashboard(id);
      const cached = await h.container.dashboard.dashboard(id);
      expect(Buffer.isBuffer(cached.body)).to.equal(true);
      expect(cached.body.equals(dashboard.body)).to.equal(true);
      expect(cached.etag).to.equal(dashboard.etag);
    });

    it('needs no invalidation for imports: they only create analyses, which intake then finds in the database', async () => {
      const url = `https://import-${randomUUID()}.example.org/`;
      const report = await h.container.analyses.importAnalyses(
        parseImportFile(JSON.stringify([{ url, results_summary: SPEC_RESULTS }])),
      );
      expect(report.created).to.equal(1);
      const intake = await client.post('/analyses', { url });
      expect(intake.status).to.equal(200);
      expect(intake.body.cached).to.equal(true);
      expect((await client.get(`/dashboard/${intake.body.analysis_id}`)).body.opportunities).to.have.length(3);
    });
  });
}

for (const design of REDIS_DESIGNS) {
  describe(`cache invalidation across two API instances sharing one Redis namespace (${design.name})`, function () {
    let a: Harness;
    let b: Harness;
    before(async () => {
      const env = { ...design.env, CACHE_NAMESPACE: `test-shared-${randomUUID()}` };
      a = await startCacheHarness('redis', { env });
      b = await startCacheHarness('redis', { env });
    });
    after(async () => {
      await a.close();
      await b.close();
    });

    it('GET /dashboard on the other instance shows the new status once POST /progress has returned', async () => {
      const id = await specAnalysis(a.baseUrl);
      const [ca, cb] = [api(a.baseUrl), api(b.baseUrl)];
      expect(statusOf((await ca.get(`/dashboard/${id}`)).body, 'business_management')).to.equal('NOT_STARTED');
      expect(statusOf((await cb.get(`/dashboard/${id}`)).body, 'business_management')).to.equal('NOT_STARTED');
      const hitsBefore = (await cb.get('/cache/stats')).body.hits;
      expect(hitsBefore).to.be.greaterThan(0); // b's read was served from the entry a stored

      expect(
        (await ca.post(`/dashboard/${id}/progress`, { opportunity_id: 'business_management', status: 'IN_PROGRESS' }))
          .status,
      ).to.equal(200);
      expect(statusOf((await cb.get(`/dashboard/${id}`)).body, 'business_management')).to.equal('IN_PROGRESS');
      expect(statusOf((await ca.get(`/dashboard/${id}`)).body, 'business_management')).to.equal('IN_PROGRESS');

      expect(
        (await cb.post(`/dashboard/${id}/progress`, { opportunity_id: 'business_management', status: 'IMPLEMENTED' }))
          .status,
      ).to.equal(200);
      expect(statusOf((await ca.get(`/dashboard/${id}`)).body, 'business_management')).to.equal('IMPLEMENTED');
    });
  });
}

import { expect } from 'chai';
import { DB_MODES, useHarness } from '../../helpers/harness.js';
import { SPEC_RESULTS, uniqueUrl } from '../../helpers/fixtures.js';
import { DAY } from '../../helpers/clock.js';

for (const mode of DB_MODES) {
  describe(`analysis intake [${mode}]`, function () {
    const t = useHarness(mode);

    it('creates a COMPLETE analysis when results are given and a PENDING one otherwise', async () => {
      const complete = await t.client.post('/analyses', { url: uniqueUrl(), results_summary: SPEC_RESULTS });
      expect(complete.status).to.equal(201);
      expect(complete.body).to.include({ status: 'COMPLETE', cached: false });
      const pending = await t.client.post('/analyses', { url: uniqueUrl() });
      expect(pending.status).to.equal(201);
      expect(pending.body).to.include({ status: 'PENDING', cached: false });
    });

    it('answers a URL seen within 7 days with the same analysis, whatever its spelling', async () => {
      const first = await t.client.post('/analyses', { url: 'https://www.Acme-Plomberie.ca/Services/?x=1' });
      const again = await t.client.post('/analyses', { url: 'HTTPS://acme-plomberie.ca:443/Services?x=1#top' });
      expect(again.status).to.equal(200);
      expect(again.body).to.deep.equal({ analysis_id: first.body.analysis_id, status: 'PENDING', cached: true });
      const otherPath = await t.client.post('/analyses', { url: 'https://acme-plomberie.ca/services?x=1' });
      expect(otherPath.status).to.equal(201);
    });

    it('deduplicates from the url_hash column when the cache has been flushed', async () => {
      const url = uniqueUrl();
      const first = await t.client.post('/analyses', { url });
      expect((await t.h.container.cache.clear()).deleted).to.be.greaterThan(0);
      const again = await t.client.post('/analyses', { url });
      expect(again.status).to.equal(200);
      expect(again.body.analysis_id).to.equal(first.body.analysis_id);
    });

    it('creates a new analysis once 7 days have passed', async () => {
      const url = uniqueUrl();
      const first = await t.client.post('/analyses', { url });
      t.h.clock.advance(7 * DAY + 1000);
      const later = await t.client.post('/analyses', { url });
      expect(later.status).to.equal(201);
      expect(later.body.analysis_id).to.not.equal(first.body.analysis_id);
    });

    it('creates one analysis for 10 simultaneous intakes of one URL', async () => {
      const url = uniqueUrl();
      const results = await Promise.all(Array.from({ length: 10 }, () => t.client.post('/analyses', { url })));
      expect(new Set(results.map((r) => r.body.analysis_id)).size).to.equal(1);
      expect(results.filter((r) => r.status === 201)).to.have.length(1);
    });

    it('completes a pending analysis with PUT results and sets completed_at', async () => {
      const { body } = await t.client.post('/analyses', { url: uniqueUrl() });
      t.h.clock.advance(35_000);
      const put = await t.client.put(`/analyses/${body.analysis_id}/results`, { results_summary: SPEC_RESULTS });
      expect(put.status).to.equal(200);
      expect(put.body).to.include({
        id: body.analysis_id,
        status: 'COMPLETE',
        completed_at: t.h.clock.now().toISOString(),
      });
      const dash = await t.client.get(`/dashboard/${body.analysis_id}`);
      expect(dash.body.opportunities).to.have.length(3);
    });

    it('returns the analysis record', async () => {
      const { body } = await t.client.post('/analyses', {
        url: 'https://example.net/a',
        results_summary: SPEC_RESULTS,
      });
      const res = await t.client.get(`/analyses/${body.analysis_id}`);
      expect(res.status).to.equal(200);
      expect(res.body).to.include({
        id: body.analysis_id,
        url: 'https://example.net/a',
        status: 'COMPLETE',
        hourly_rate: null,
      });
      expect(res.body.results_summary.identity_a1.company_name).to.equal('Example Inc.');
      expect(res.body).to.not.have.property('url_hash');
    });
  });
}

import { expect } from 'chai';
import { DB_MODES, useHarness } from '../../helpers/harness.js';
import { SPEC_RESULTS, uniqueUrl } from '../../helpers/fixtures.js';
import { statements } from '../../helpers/queries.js';

for (const mode of DB_MODES) {
  describe(`database round trips of the hot paths [${mode}]`, function () {
    const t = useHarness(mode, { env: { CACHE_ENABLED: 'false' } });

    const create = async () =>
      (await t.client.post('/analyses', { url: uniqueUrl(), results_summary: SPEC_RESULTS })).body
        .analysis_id as string;

    it('loads an uncached dashboard in 1 query', async () => {
      const id = await create();
      await t.client.post(`/dashboard/${id}/progress`, { opportunity_id: 'digital_presence', status: 'IMPLEMENTED' });
      let body: { progress_summary: { implemented: number }; badges: unknown[] } | undefined;
      const sql = await statements(t.h, async () => {
        body = (await t.client.get(`/dashboard/${id}`)).body;
      });
      expect(body!.progress_summary.implemented).to.equal(1);
      expect(body!.badges).to.have.length(2);
      expect(sql, sql.join('\n')).to.have.length(1);
    });

    it('loads uncached metrics and recommendations in 1 query each', async () => {
      const id = await create();
      for (const path of ['/metrics', '/recommendations']) {
        const sql = await statements(t.h, () => t.client.get(`/dashboard/${id}${path}`));
        expect(sql, `${path}: ${sql.join('\n')}`).to.have.length(1);
      }
    });

    it('writes a status change that awards a badge in 7 statements, transaction included', async () => {
      const id = await create();
      let res: { status: number; body: { new_badges: { badge_type: string }[] } } | undefined;
      const sql = await statements(t.h, async () => {
        res = await t.client.post(`/dashboard/${id}/progress`, {
          opportunity_id: 'value_creation',
          status: 'IN_PROGRESS',
        });
      });
      expect(res!.status).to.equal(200);
      expect(res!.body.new_badges.map((b) => b.badge_type)).to.deep.equal(['first_step']);
      // BEGIN, lock, progress, status + event, badge inputs, badge insert, COMMIT
      expect(sql, sql.join('\n')).to.have.length(7);
      const events = await t.h.container.db('progress_events').where({ analysis_id: id });
      expect(events.map((e: { from_status: string; to_status: string }) => [e.from_status, e.to_status])).to.deep.equal(
        [['NOT_STARTED', 'IN_PROGRESS']],
      );
    });
  });
}

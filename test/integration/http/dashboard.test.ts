import { expect } from 'chai';
import { DB_MODES, useHarness } from '../../helpers/harness.js';
import { SPEC_RESULTS, uniqueUrl } from '../../helpers/fixtures.js';

for (const mode of DB_MODES) {
  describe(`GET /dashboard/:id [${mode}]`, function () {
    const t = useHarness(mode);

    async function specAnalysis(): Promise<string> {
      const res = await t.client.post('/analyses', { url: uniqueUrl(), results_summary: SPEC_RESULTS });
      expect(res.status).to.equal(201);
      return res.body.analysis_id;
    }

    it('reproduces the spec example exactly', async () => {
      const id = await specAnalysis();
      const steps = [
        { opportunity_id: 'digital_presence', status: 'IN_PROGRESS' },
        { opportunity_id: 'digital_presence', status: 'IMPLEMENTED', hourly_rate: 50 },
        { opportunity_id: 'value_creation', status: 'IN_PROGRESS' },
      ];
      for (const step of steps) expect((await t.client.post(`/dashboard/${id}/progress`, step)).status).to.equal(200);

      const { status, body } = await t.client.get(`/dashboard/${id}`);
      expect(status).to.equal(200);
      expect(body.progress_summary).to.deep.equal({
        total_opportunities: 3,
        not_started: 1,
        in_progress: 1,
        implemented: 1,
        completion_percentage: 33,
      });
      expect(body.metrics.time_saved).to.deep.equal({
        potential_weekly: 15,
        implemented_weekly: 5,
        potential_annual: 780,
        implemented_annual: 260,
      });
      expect(body.metrics.money_saved).to.deep.equal({
        hourly_rate: 50,
        potential_annual: 39000,
        implemented_annual: 13000,
        currency: 'CAD',
      });
      expect(body.badges.map((b: { badge_type: string }) => b.badge_type)).to.deep.equal(['first_step', 'quick_win']);
      expect(body.badges[0]).to.include({ badge_name: 'Premier Pas', icon: '🎯' });
      expect(body.identity.company_name).to.equal('Example Inc.');
      const byId = Object.fromEntries(body.opportunities.map((o: { opportunity_id: string }) => [o.opportunity_id, o]));
      expect(byId.digital_presence).to.include({
        status: 'IMPLEMENTED',
        hours_per_week: 5,
        hours_per_year: 260,
        complexity_level: 7,
      });
      expect(byId.digital_presence.implemented_at).to.equal(t.h.clock.now().toISOString());
      expect(byId.value_creation).to.include({ status: 'IN_PROGRESS', implemented_at: null });
      expect(byId.business_management).to.include({ status: 'NOT_STARTED' });
    });

    it('shows null money fields until an hourly rate is known', async () => {
      const id = await specAnalysis();
      const { body } = await t.client.get(`/dashboard/${id}`);
      expect(body.metrics.money_saved).to.deep.equal({
        hourly_rate: null,
        potential_annual: null,
        implemented_annual: null,
        currency: 'CAD',
      });
      expect(body.progress_summary.completion_percentage).to.equal(0);
      expect(body.badges).to.deep.equal([]);
    });

    it('orders recommendations for all-NOT_STARTED by priority', async () => {
      const id = await specAnalysis();
      const { status, body } = await t.client.get(`/dashboard/${id}/recommendations`);
      expect(status).to.equal(200);
      expect(
        body.recommendations.map((r: { opportunity_id: string; priority_score: number }) => [
          r.opportunity_id,
          r.priority_score,
        ]),
      ).to.deep.equal([
        ['value_creation', 1.6],
        ['digital_presence', 0.71],
        ['business_management', 0.67],
      ]);
      expect(body.recommendations[2].reason).to.match(/Quick win/);
    });

    it('returns metrics on their own', async () => {
      const id = await specAnalysis();
      await t.client.post(`/dashboard/${id}/progress`, {
        opportunity_id: 'value_creation',
        status: 'IMPLEMENTED',
        hourly_rate: 40,
      });
      const { status, body } = await t.client.get(`/dashboard/${id}/metrics`);
      expect(status).to.equal(200);
      expect(body.time_saved.implemented_weekly).to.equal(8);
      expect(body.money_saved.implemented_annual).to.equal(416 * 40);
    });

    it('lists earned badges with progress toward the others', async () => {
      const id = await specAnalysis();
      await t.client.post(`/dashboard/${id}/progress`, { opportunity_id: 'value_creation', status: 'IMPLEMENTED' });
      const { status, body } = await t.client.get(`/dashboard/${id}/badges`);
      expect(status).to.equal(200);
      expect(body.total_badges).to.equal(2);
      expect(body.total_points).to.equal(35);
      const pending = Object.fromEntries(
        body.in_progress.map((b: { badge_type: string; progress: unknown }) => [b.badge_type, b.progress]),
      );
      expect(pending.time_saver).to.deep.equal({ current: 8, target: 10, unit: 'hours_per_week', achievable: true });
      expect(pending.efficiency_expert).to.deep.equal({
        current: 1,
        target: 3,
        unit: 'opportunities',
        achievable: true,
      });
      expect(pending.streak_master).to.deep.equal({ current: 1, target: 7, unit: 'days', achievable: true });
      expect(pending).to.not.have.property('first_step');
    });

    it('shows a pending analysis with no opportunities yet', async () => {
      const { body: created } = await t.client.post('/analyses', { url: uniqueUrl() });
      const { status, body } = await t.client.get(`/dashboard/${created.analysis_id}`);
      expect(status).to.equal(200);
      expect(body).to.include({ status: 'PENDING', identity: null });
      expect(body.opportunities).to.deep.equal([]);
    });
  });
}

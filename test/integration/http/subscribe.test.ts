import { expect } from 'chai';
import { api, DB_MODES, startHarness, type Harness } from '../../helpers/harness.js';
import { SPEC_RESULTS, uniqueUrl } from '../../helpers/fixtures.js';

for (const mode of DB_MODES) {
  describe(`POST /dashboard/:id/subscribe [${mode}]`, function () {
    let h: Harness;
    let client: ReturnType<typeof api>;
    let id: string;
    before(async () => {
      h = await startHarness(mode);
      client = api(h.baseUrl);
    });
    after(() => h.close());
    beforeEach(async () => {
      await h.reset();
      id = (await client.post('/analyses', { url: uniqueUrl(), results_summary: SPEC_RESULTS })).body.analysis_id;
    });

    it('creates a subscription with 201', async () => {
      const res = await client.post(`/dashboard/${id}/subscribe`, {
        email: 'Owner@Example.com',
        frequency: 'weekly',
        hourly_rate: 60,
      });
      expect(res.status).to.equal(201);
      expect(res.body).to.include({
        analysis_id: id,
        email: 'owner@example.com',
        frequency: 'weekly',
        status: 'pending',
        active: false,
        hourly_rate: 60,
      });
      expect(res.body.subscription_id).to.match(/^[0-9a-f-]{36}$/);
    });

    it('answers 200 when the same email re-subscribes, updating frequency and rate and asking for consent again', async () => {
      const first = await client.post(`/dashboard/${id}/subscribe`, {
        email: 'owner@example.com',
        frequency: 'weekly',
      });
      await h.container.db('email_subscriptions').where({ id: first.body.subscription_id }).update({ active: false });
      const again = await client.post(`/dashboard/${id}/subscribe`, {
        email: 'OWNER@example.COM',
        frequency: 'monthly',
        hourly_rate: 80,
      });
      expect(again.status).to.equal(200);
      expect(again.body).to.include({
        subscription_id: first.body.subscription_id,
        frequency: 'monthly',
        status: 'pending',
        active: false,
        hourly_rate: 80,
      });
      expect(await h.container.db('email_subscriptions').where({ analysis_id: id })).to.have.length(1);
    });

    it('stores the rate on the analysis for money saved', async () => {
      await client.post(`/dashboard/${id}/subscribe`, {
        email: 'owner@example.com',
        frequency: 'weekly',
        hourly_rate: 50,
      });
      expect((await client.get(`/dashboard/${id}`)).body.metrics.money_saved.potential_annual).to.equal(39000);
    });
  });
}

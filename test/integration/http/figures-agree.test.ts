import { expect } from 'chai';
import { resultsWithHours, SPEC_RESULTS, uniqueUrl } from '../../helpers/fixtures.js';
import { useHarness } from '../../helpers/harness.js';
import type { ResultsSummary } from '../../../src/domain/results-summary.js';

describe('every figure agrees wherever it is shown', function () {
  this.timeout(60_000);
  const t = useHarness('pglite');

  async function analysis(results: ResultsSummary = SPEC_RESULTS): Promise<string> {
    const res = await t.client.post('/analyses', { url: uniqueUrl(), results_summary: results });
    return res.body.analysis_id as string;
  }

  /** Counts the cache invalidations while `run` runs: direct ones, and those a write names in its transaction. */
  async function invalidations(run: () => Promise<unknown>): Promise<number> {
    const cache = t.h.container.cache;
    const direct = cache.invalidateAnalysis.bind(cache);
    const transactional = cache.invalidatingTransaction.bind(cache);
    let n = 0;
    cache.invalidateAnalysis = async (id: string) => {
      n += 1;
      return direct(id);
    };
    cache.invalidatingTransaction = (db, work) =>
      transactional(db, (trx, invalidate) =>
        work(trx, (id) => {
          n += 1;
          invalidate(id);
        }),
      );
    try {
      await run();
    } finally {
      cache.invalidateAnalysis = direct;
      cache.invalidatingTransaction = transactional;
    }
    return n;
  }

  describe('money', () => {
    it('refuses a rate with more than 2 decimals (400 naming hourly_rate) and changes nothing', async () => {
      const id = await analysis();
      for (const [path, body] of [
        [
          `/dashboard/${id}/progress`,
          { opportunity_id: 'digital_presence', status: 'IMPLEMENTED', hourly_rate: 33.335 },
        ],
        [`/dashboard/${id}/subscribe`, { email: 'o@example.com', frequency: 'weekly', hourly_rate: 33.335 }],
      ] as const) {
        const res = await t.client.post(path, body);
        expect(res.status, path).to.equal(400);
        expect(res.body.error).to.equal('INVALID_INPUT');
        expect(res.body.fields.map((f: { field: string }) => f.field)).to.deep.equal(['body.hourly_rate']);
      }
      expect((await t.client.get(`/dashboard/${id}`)).body.opportunities[0].status).to.equal('NOT_STARTED');
      expect(await t.h.container.db('analyses').where({ id }).first('hourly_rate')).to.deep.equal({
        hourly_rate: null,
      });
    });

    it('gives the same money in the progress response, the metrics and the dashboard at a rate with cents', async () => {
      const id = await analysis();
      const progress = await t.client.post(`/dashboard/${id}/progress`, {
        opportunity_id: 'digital_presence',
        status: 'IMPLEMENTED',
        hourly_rate: 33.33,
      });
      expect(progress.status).to.equal(200);
      const metrics = (await t.client.get(`/dashboard/${id}/metrics`)).body;
      const dashboard = (await t.client.get(`/dashboard/${id}`)).body.metrics;
      // 260 h a year at 33.33 $/h is 8665.80 $; 780 h is 25997.40 $.
      expect(progress.body.metrics.money_saved).to.deep.equal({
        hourly_rate: 33.33,
        potential_annual: 25997,
        implemented_annual: 8666,
        currency: 'CAD',
      });
      expect(metrics).to.deep.equal(progress.body.metrics);
      expect(dashboard).to.deep.equal(progress.body.metrics);
    });
  });

  describe('repeating an identical request', () => {
    it('invalidates nothing: progress with the same status and rate, subscribe, confirm and unsubscribe', async () => {
      const id = await analysis();
      const progress = { opportunity_id: 'digital_presence', status: 'IN_PROGRESS', hourly_rate: 42.5 };
      expect(await invalidations(() => t.client.post(`/dashboard/${id}/progress`, progress))).to.equal(1);
      expect(await invalidations(() => t.client.post(`/dashboard/${id}/progress`, progress))).to.equal(0);

      const sub = { email: 'repeat@example.com', frequency: 'weekly', hourly_rate: 42.5 };
      const first = await t.client.post(`/dashboard/${id}/subscribe`, sub);
      expect(first.status).to.equal(201);
      expect(await invalidations(() => t.client.post(`/dashboard/${id}/subscribe`, sub))).to.equal(0);
      expect(
        await invalidations(() => t.client.post(`/dashboard/${id}/subscribe`, { ...sub, frequency: 'monthly' })),
      ).to.equal(1);

      const confirm = `/subscriptions/confirm/${t.h.container.consents.confirmUrl(first.body.subscription_id).split('/').pop()}`;
      expect(await invalidations(() => t.client.post(confirm))).to.equal(1);
      const again = await invalidations(async () => {
        const res = await t.client.post(confirm);
        expect(res.body.changed).to.equal(false);
      });
      expect(again).to.equal(0);

      const unsubscribe = `/unsubscribe/${t.h.container.unsubscribes.url(first.body.subscription_id).split('/').pop()}`;
      expect(await invalidations(() => t.client.post(unsubscribe))).to.equal(1);
      expect(await invalidations(() => t.client.post(unsubscribe))).to.equal(0);
    });
  });

  describe('hours near a badge threshold', () => {
    it('shows 9.96 h as 9.9 everywhere, with time_saver at 9.9/10 and not awarded', async () => {
      const id = await analysis(
        resultsWithHours({ digital_presence: 4.98, value_creation: 4.98, business_management: 2 }),
      );
      for (const opportunity_id of ['digital_presence', 'value_creation'])
        await t.client.post(`/dashboard/${id}/progress`, { opportunity_id, status: 'IMPLEMENTED' });
      const dashboard = (await t.client.get(`/dashboard/${id}`)).body;
      const badges = (await t.client.get(`/dashboard/${id}/badges`)).body;
      expect(dashboard.metrics.time_saved.implemented_weekly).to.equal(9.9);
      expect(badges.badges.map((b: { badge_type: string }) => b.badge_type)).not.to.include('time_saver');
      const saver = badges.in_progress.find((b: { badge_type: string }) => b.badge_type === 'time_saver');
      expect(saver.progress).to.include({ current: 9.9, target: 10 });
    });
  });

  describe('a subscription’s state', () => {
    it('is pending (active false) until confirmed, then active (active true)', async () => {
      const id = await analysis();
      const res = await t.client.post(`/dashboard/${id}/subscribe`, { email: 'new@example.com', frequency: 'weekly' });
      expect(res.body).to.include({ status: 'pending', active: false });
      await t.h.container.db('email_subscriptions').where({ id: res.body.subscription_id }).update({
        confirmed_at: new Date(),
      });
      const again = await t.client.post(`/dashboard/${id}/subscribe`, {
        email: 'new@example.com',
        frequency: 'weekly',
      });
      expect(again.body).to.include({ status: 'active', active: true });
    });

    it('answers a re-subscription of a suspended address with its real state, and leaves it suspended', async () => {
      const id = await analysis();
      const res = await t.client.post(`/dashboard/${id}/subscribe`, {
        email: 'bounce@example.com',
        frequency: 'weekly',
      });
      await t.h.container.db('email_subscriptions').where({ id: res.body.subscription_id }).update({
        confirmed_at: new Date(),
        active: false,
        suspended_at: new Date(),
        confirmation_due_at: null,
      });
      const again = await t.client.post(`/dashboard/${id}/subscribe`, {
        email: 'bounce@example.com',
        frequency: 'weekly',
      });
      expect(again.status).to.equal(200);
      expect(again.body).to.include({ status: 'suspended', active: false });
      const row = await t.h.container.db('email_subscriptions').where({ id: res.body.subscription_id }).first();
      expect(row.suspended_at).to.be.instanceOf(Date);
      expect(row.confirmation_due_at).to.equal(null);
    });

    it('is unsubscribed (active false) after an unsubscribe, in the consent records too', async () => {
      const id = await analysis();
      const res = await t.client.post(`/dashboard/${id}/subscribe`, { email: 'gone@example.com', frequency: 'weekly' });
      await t.client.post(`/unsubscribe/${t.h.container.unsubscribes.url(res.body.subscription_id).split('/').pop()}`);
      const [record] = await t.h.container.consents.consentRecords(id);
      expect(record).to.include({ status: 'unsubscribed', active: false });
    });
  });
});

import { expect } from 'chai';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { SPEC_RESULTS, uniqueUrl } from '../../helpers/fixtures.js';
import { confirmSubscription } from '../../../src/db/subscription-repo.js';

describe('ConsoleService.snapshot [postgres]', function () {
  let h: Harness;
  before(async () => {
    h = await startHarness('postgres');
  });
  after(() => h.close());

  it('counts subscriptions by frequency and deliveries by state', async () => {
    const c = h.container;
    const { analysis_id } = await c.analyses.createAnalysis({ url: uniqueUrl(), results_summary: SPEC_RESULTS });
    const a = await c.subscriptions.subscribe(analysis_id, { email: 'a@example.com', frequency: 'weekly' });
    await c.subscriptions.subscribe(analysis_id, { email: 'b@example.com', frequency: 'monthly' });
    await confirmSubscription(c.db, a.subscription.subscription_id, h.clock.now(), { ip: null, userAgent: null });
    const inactive = await c.subscriptions.subscribe(analysis_id, { email: 'c@example.com', frequency: 'weekly' });
    await c.db('email_subscriptions').where({ id: inactive.subscription.subscription_id }).update({ active: false });
    h.clock.set('2026-11-30T14:00:00Z'); // Monday 09:00 in Montréal (EST)
    await c.deliveries.enqueueDue('weekly');

    const s = await c.console.snapshot();
    // b@ never confirmed: it awaits confirmation, counted apart from the weekly and monthly ones.
    expect(s.subscriptions).to.deep.equal({ weekly: 1, monthly: 0, inactive: 1, awaiting_confirmation: 1 });
    expect(s.deliveries.pending).to.equal(1);
    expect(s.due_now).to.equal(1);
    expect(s.next_runs.weekly?.toISOString()).to.equal('2026-12-07T14:00:00.000Z');
    expect(s.next_runs.monthly?.toISOString()).to.equal('2026-12-01T14:00:00.000Z');
    expect(s.cache.backend).to.equal('memory');
    expect(s.database).to.equal('postgres');
  });
});

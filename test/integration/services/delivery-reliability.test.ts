import { expect } from 'chai';
import { createContainer, type Container } from '../../../src/container.js';
import { claimDeliveries } from '../../../src/db/report-outbox-repo.js';
import { startReportJobs } from '../../../src/jobs/report-jobs.js';
import { TestClock, MINUTE } from '../../helpers/clock.js';
import { startHarness, testConfig, type Harness } from '../../helpers/harness.js';
import { captureLogs } from '../../helpers/log-capture.js';
import { deliveryRows, reportEnv, seedSubscribers } from '../../helpers/reports.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp.js';

const MONDAY = '2026-03-09T13:00:00Z'; // 09:00 in Montréal (EDT)

describe('report delivery reliability', function () {
  this.timeout(60_000);
  let smtp: SmtpSink | null = null;
  let h: Harness | null = null;
  const extra: Container[] = [];

  afterEach(async () => {
    await Promise.all(extra.splice(0).map((c) => c.close()));
    await h?.close();
    await smtp?.close();
    h = null;
    smtp = null;
  });

  async function setup(behaviour: Parameters<typeof startSmtpSink>[0] = {}, logger = captureLogs()) {
    smtp = await startSmtpSink(behaviour);
    h = await startHarness('postgres', { env: reportEnv(smtp.url), overrides: { logger: logger.logger } });
    h.clock.set(MONDAY);
    return { smtp, h, logs: logger };
  }

  it('two schedulers with their workers against one PostgreSQL send exactly one email per subscription', async () => {
    const { smtp, h } = await setup();
    const subs = await seedSubscribers(h.container, 25);
    // Two more processes' worth of containers, each running the croner scheduler and a worker.
    const instances = [0, 1].map(() => {
      const c = createContainer(testConfig('postgres', reportEnv(smtp.url)), {
        clock: new TestClock(new Date('2026-03-09T14:00:00Z')),
      });
      extra.push(c);
      return c;
    });
    const jobs = instances.map((c) => startReportJobs(c, { pollMs: 50 }));
    await smtp.waitFor(subs.length);
    await new Promise((r) => setTimeout(r, 300)); // room for a duplicate to show up
    await Promise.all(jobs.map((j) => j.stop()));

    expect(smtp.received).to.have.length(subs.length);
    expect(new Set(smtp.received.map((m) => m.to[0])).size).to.equal(subs.length);
    const rows = await deliveryRows(h.container);
    expect(rows).to.have.length(subs.length);
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1 && r.period_key === '2026-W10')).to.equal(true);
  });

  it('sends through a pool of reused SMTP connections', async () => {
    const { smtp, h } = await setup();
    await seedSubscribers(h.container, 40);
    await h.container.deliveries.enqueueDue('weekly');
    expect(await h.container.deliveries.drain()).to.include({ sent: 40 });
    expect(smtp.received).to.have.length(40);
    expect(smtp.connections).to.be.within(1, 5);
  });

  it('lets only the advisory-lock holder enqueue, and a late second run adds nothing', async () => {
    const { h } = await setup();
    await seedSubscribers(h.container, 3);
    const trx = await h.container.db.transaction();
    try {
      await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', ['visionaire:reports:enqueue:weekly']);
      expect(await h.container.deliveries.enqueueDue('weekly')).to.include({ leader: false, enqueued: 0 });
    } finally {
      await trx.rollback();
    }
    expect(await h.container.deliveries.enqueueDue('weekly')).to.include({ leader: true, enqueued: 3 });
    expect(await h.container.deliveries.enqueueDue('weekly')).to.include({ leader: true, enqueued: 0 });
    expect(await deliveryRows(h.container)).to.have.length(3);
  });

  it('retries with exponential backoff: fails twice, then one delivered message with attempts = 3', async () => {
    const logs = captureLogs();
    const { smtp, h } = await setup({ failFirst: 2 }, logs);
    const [sub] = await seedSubscribers(h.container, 1);
    const d = h.container.deliveries;
    await d.enqueueDue('weekly');

    expect(await d.drain()).to.include({ claimed: 1, retrying: 1 });
    let [row] = await deliveryRows(h.container);
    expect(row).to.include({ status: 'pending', attempts: 1 });
    expect(row.last_error).to.match(/^451 .*temporarily unavailable/);
    expect(row.last_error).to.include(`<${sub!.email[0]}***@`).and.not.include(sub!.email);
    const base = d.options.backoffBaseMs;
    expect(row.next_attempt_at.getTime() - h.clock.now().getTime()).to.equal(base);

    h.clock.advance(base - 1);
    expect((await d.drain()).claimed, 'not before the backoff ends').to.equal(0);
    h.clock.advance(1);
    expect(await d.drain()).to.include({ claimed: 1, retrying: 1 });
    [row] = await deliveryRows(h.container);
    expect(row).to.include({ status: 'pending', attempts: 2 });
    expect(row.next_attempt_at.getTime() - h.clock.now().getTime()).to.equal(2 * base);

    h.clock.advance(2 * base);
    expect(await d.drain()).to.include({ claimed: 1, sent: 1 });
    [row] = await deliveryRows(h.container);
    expect(row).to.include({ status: 'sent', attempts: 3, last_error: null });
    expect(smtp.attempts).to.equal(3);
    expect(smtp.received).to.have.length(1);
    expect(smtp.received[0]!.messageId).to.equal(row.message_id);
    expect(logs.text()).to.include('report email attempt failed');
    expect(logs.text()).not.to.include(sub!.email);
  });

  it('marks a delivery failed after 3 attempts and keeps the error visible', async () => {
    const logs = captureLogs();
    const { smtp, h } = await setup({ failAlways: true }, logs);
    const [sub] = await seedSubscribers(h.container, 1);
    const d = h.container.deliveries;
    await d.enqueueDue('weekly');
    await d.drain();
    h.clock.advance(d.retryDelayMs(1));
    await d.drain();
    h.clock.advance(d.retryDelayMs(2));
    expect(await d.drain()).to.include({ claimed: 1, failed: 1 });

    const [row] = await deliveryRows(h.container);
    expect(row).to.include({ status: 'failed', attempts: 3, sent_at: null });
    expect(row.last_error).to.match(/^451 .*temporarily unavailable/);
    expect(row.last_error).to.include(`<${sub!.email[0]}***@`);
    expect(row.last_error).not.to.include(sub!.email);
    expect(await d.counts('2026-W10')).to.include({ failed: 1, sent: 0 });
    h.clock.advance(24 * 60 * MINUTE);
    expect((await d.drain()).claimed, 'a failed row is never retried again').to.equal(0);
    expect(smtp.attempts).to.equal(3);
    const sub1 = await h.container.db('email_subscriptions').where({ id: sub!.subscriptionId }).first();
    expect(sub1.last_sent_at).to.equal(null);
    expect(logs.text().toLowerCase()).not.to.include(sub!.email);
  });

  it('takes over a row whose worker died once its lease expires, and fails it after a crash on the last attempt', async () => {
    const { smtp, h } = await setup();
    await seedSubscribers(h.container, 2);
    const d = h.container.deliveries;
    await d.enqueueDue('weekly');
    // A worker claims both rows and dies without a word.
    const now = h.clock.now();
    const claimed = await claimDeliveries(h.container.db, {
      now,
      leaseUntil: new Date(now.getTime() + d.options.leaseMs),
      limit: 10,
      maxAttempts: 3,
    });
    expect(claimed).to.have.length(2);
    await h.container.db('report_deliveries').where({ id: claimed[1]!.id }).update({ attempts: 3 }); // its last attempt

    expect((await d.drain()).claimed, 'the lease still holds').to.equal(0);
    h.clock.advance(d.options.leaseMs);
    expect(await d.drain()).to.include({ claimed: 1, sent: 1 });
    const rows = await h.container.db('report_deliveries').orderBy('attempts').select('*');
    expect(rows.map((r) => [r.status, r.attempts])).to.deep.equal([
      ['sent', 2],
      ['failed', 3],
    ]);
    expect(rows[1].last_error).to.match(/lease expired/);
    expect(smtp.received).to.have.length(1);
  });

  it('cancels a queued report when the subscriber unsubscribed before it went out', async () => {
    const { smtp, h } = await setup();
    const [sub] = await seedSubscribers(h.container, 1);
    await h.container.deliveries.enqueueDue('weekly');
    await h.container.db('email_subscriptions').where({ id: sub!.subscriptionId }).update({ active: false });
    expect(await h.container.deliveries.drain()).to.include({ claimed: 1, cancelled: 1 });
    expect((await deliveryRows(h.container))[0]).to.include({ status: 'cancelled' });
    expect(smtp.received).to.have.length(0);
  });
});

import { expect } from 'chai';
import { OutboxWorker, type OutboxPass } from '../../../src/jobs/outbox-worker.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { captureLogs } from '../../helpers/log-capture.js';
import { deliveryRows, reportEnv, seedSubscribers } from '../../helpers/reports.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp.js';

// Monday 1 June 2026: both a weekly and a monthly send day. Subscribers are seeded at 08:00 Montréal time,
// before the 09:00 local send time, so the reports of that morning are theirs.
const BEFORE_SEND = '2026-06-01T12:00:00Z';
const AFTER_SEND = '2026-06-01T14:00:00Z';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('jobs/OutboxWorker (report deliveries)', function () {
  let smtp: SmtpSink;
  let h: Harness;
  const logs = captureLogs();
  let worker: OutboxWorker | null = null;
  const start = (pass: OutboxPass, pollMs: number) =>
    (worker = new OutboxWorker({ name: 'report delivery', pass, logger: h.container.logger, pollMs }).start());
  beforeEach(async () => {
    smtp = await startSmtpSink();
    h = await startHarness('postgres', { env: reportEnv(smtp.url), overrides: { logger: logs.logger } });
    h.clock.set(BEFORE_SEND);
  });
  afterEach(async () => {
    await worker?.stop();
    worker = null;
    await h.close();
    await smtp.close();
  });

  it('sends what is queued when it starts, and what is queued later as soon as it is woken, not at the next poll', async () => {
    await seedSubscribers(h.container, 2);
    await seedSubscribers(h.container, 1, { frequency: 'monthly' });
    h.clock.set(AFTER_SEND);
    await h.container.deliveries.enqueueDue('weekly');
    const w = start((o) => h.container.deliveries.drain(o), 3_600_000);
    await smtp.waitFor(2);

    const monthly = await h.container.deliveries.enqueueDue('monthly'); // queued while the worker waits for its poll
    expect(monthly.periods.reduce((n, p) => n + p.enqueued, 0)).to.equal(1);
    w.wake();
    await smtp.waitFor(3); // well before the hour-long poll
    await w.stop();
    expect((await deliveryRows(h.container)).map((r) => r.status)).to.deep.equal(['sent', 'sent', 'sent']);
  });

  it('logs a failed pass and tries again after the poll interval', async () => {
    await seedSubscribers(h.container, 1);
    h.clock.set(AFTER_SEND);
    await h.container.deliveries.enqueueDue('weekly');
    let passes = 0;
    start(
      (o) => (++passes === 1 ? Promise.reject(new Error('database went away')) : h.container.deliveries.drain(o)),
      20,
    );
    await smtp.waitFor(1);
    expect(passes).to.be.at.least(2);
    expect(logs.text()).to.match(/report delivery pass failed; retrying after the poll interval/);
    expect(logs.text()).to.include('database went away');
  });

  it('stop() lets the pass in flight finish and then runs no more passes', async () => {
    await seedSubscribers(h.container, 3);
    h.clock.set(AFTER_SEND);
    await h.container.deliveries.enqueueDue('weekly');
    let passes = 0;
    const w = start((o) => (passes++, h.container.deliveries.drain(o)), 10);
    await w.stop();
    const after = passes;
    expect(after).to.be.at.least(1);
    const rows = await deliveryRows(h.container);
    expect(
      rows.filter((r) => r.status === 'sending'),
      'no row left claimed',
    ).to.deep.equal([]);
    await sleep(50);
    w.wake();
    expect(passes, 'passes after stop()').to.equal(after);
  });

  it('runs one more pass at once when woken during a pass (what woke it may have been queued after its claim)', async () => {
    let passes = 0;
    let release: () => void = () => undefined;
    const firstPassHeld = new Promise<void>((r) => (release = r));
    const w = start(async () => {
      passes += 1;
      if (passes === 1) await firstPassHeld;
      return { claimed: 0 };
    }, 3_600_000);
    await sleep(20);
    w.wake(); // during the first pass
    release();
    for (let i = 0; i < 100 && passes < 2; i++) await sleep(10);
    expect(passes, 'a second pass without waiting for the hour-long poll').to.equal(2);
    await sleep(50);
    expect(passes, 'then it sleeps').to.equal(2);
  });
});

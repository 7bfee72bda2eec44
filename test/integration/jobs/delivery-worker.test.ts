import { expect } from 'chai';
import { DeliveryWorker } from '../../../src/jobs/delivery-worker.js';
import type { DeliveryService } from '../../../src/services/delivery-service.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { captureLogs } from '../../helpers/log-capture.js';
import { deliveryRows, reportEnv, seedSubscribers } from '../../helpers/reports.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp.js';

// Monday 1 June 2026: both a weekly and a monthly send day. Subscribers are seeded at 08:00 Montréal time,
// before the 09:00 local send time, so the reports of that morning are theirs.
const BEFORE_SEND = '2026-06-01T12:00:00Z';
const AFTER_SEND = '2026-06-01T14:00:00Z';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('jobs/DeliveryWorker', function () {
  let smtp: SmtpSink;
  let h: Harness;
  const logs = captureLogs();
  let worker: DeliveryWorker | null = null;
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
    worker = new DeliveryWorker({ deliveries: h.container.deliveries, logger: h.container.logger, pollMs: 3_600_000 });
    worker.start();
    await smtp.waitFor(2);

    const monthly = await h.container.deliveries.enqueueDue('monthly'); // queued while the worker waits for its poll
    expect(monthly.periods.reduce((n, p) => n + p.enqueued, 0)).to.equal(1);
    worker.wake();
    await smtp.waitFor(3); // well before the hour-long poll
    await worker.stop();
    expect((await deliveryRows(h.container)).map((r) => r.status)).to.deep.equal(['sent', 'sent', 'sent']);
  });

  it('logs a failed pass and tries again after the poll interval', async () => {
    await seedSubscribers(h.container, 1);
    h.clock.set(AFTER_SEND);
    await h.container.deliveries.enqueueDue('weekly');
    let passes = 0;
    const real = h.container.deliveries;
    const flaky = {
      drain: (opts: Parameters<DeliveryService['drain']>[0]) =>
        ++passes === 1 ? Promise.reject(new Error('database went away')) : real.drain(opts),
    } as unknown as DeliveryService;
    worker = new DeliveryWorker({ deliveries: flaky, logger: h.container.logger, pollMs: 20 });
    worker.start();
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
    const real = h.container.deliveries;
    const counted = {
      drain: (opts: Parameters<DeliveryService['drain']>[0]) => (passes++, real.drain(opts)),
    } as unknown as DeliveryService;
    worker = new DeliveryWorker({ deliveries: counted, logger: h.container.logger, pollMs: 10 });
    worker.start();
    await worker.stop();
    const after = passes;
    expect(after).to.be.at.least(1);
    const rows = await deliveryRows(h.container);
    expect(
      rows.filter((r) => r.status === 'sending'),
      'no row left claimed',
    ).to.deep.equal([]);
    await sleep(50);
    worker.wake();
    expect(passes, 'passes after stop()').to.equal(after);
  });
});

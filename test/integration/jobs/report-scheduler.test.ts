import { expect } from 'chai';
import { startReportScheduler } from '../../../src/jobs/report-scheduler.js';
import type { DeliveryService } from '../../../src/services/delivery-service.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { captureLogs } from '../../helpers/log-capture.js';
import { deliveryRows, reportEnv, seedSubscribers } from '../../helpers/reports.js';

describe('jobs/startReportScheduler', function () {
  let h: Harness;
  const logs = captureLogs();
  beforeEach(async () => {
    h = await startHarness('postgres', { env: reportEnv('smtp://127.0.0.1:9'), overrides: { logger: logs.logger } });
  });
  afterEach(() => h.close());

  it("catches up at start when this week's send time has passed, and wakes the worker once rows are queued", async () => {
    h.clock.set('2026-03-09T10:00:00Z'); // Monday, an hour after the weekly send time
    const subs = await seedSubscribers(h.container, 2);
    let wakes = 0;
    const scheduler = startReportScheduler({ deliveries: h.container.deliveries, clock: h.clock, logger: h.container.logger, onEnqueued: () => wakes++ });
    await scheduler.stop(); // waits for the catch-up enqueue in flight
    const rows = await deliveryRows(h.container);
    expect(rows.map((r) => [r.subscription_id, r.period_key])).to.have.deep.members(subs.map((s) => [s.subscriptionId, '2026-W10']));
    expect(wakes).to.equal(1);
  });

  it('queues nothing at start before the send time, or when catch-up is off', async () => {
    await seedSubscribers(h.container, 1);
    h.clock.set('2026-03-09T08:59:00Z'); // Monday, a minute before the weekly send time
    let wakes = 0;
    const onEnqueued = () => wakes++;
    const deps = { deliveries: h.container.deliveries, clock: h.clock, logger: h.container.logger, onEnqueued };
    await startReportScheduler(deps).stop();
    expect((await deliveryRows(h.container)).filter((r) => r.frequency === 'weekly')).to.deep.equal([]);
    h.clock.set('2026-03-09T10:00:00Z');
    await startReportScheduler({ ...deps, catchUp: false }).stop();
    expect(await deliveryRows(h.container)).to.deep.equal([]);
    expect(wakes).to.equal(0);
  });

  it('runs one croner job per frequency, in UTC, and stops them', async () => {
    const scheduler = startReportScheduler({ deliveries: h.container.deliveries, clock: h.clock, logger: h.container.logger, catchUp: false });
    expect(scheduler.jobs.map((j) => j.frequency)).to.deep.equal(['weekly', 'monthly']);
    const from = new Date('2026-03-10T12:00:00Z');
    expect(scheduler.jobs.map((j) => j.cron.nextRun(from)?.toISOString())).to.deep.equal(['2026-03-16T09:00:00.000Z', '2026-04-01T09:00:00.000Z']);
    await scheduler.stop();
    expect(scheduler.jobs.every((j) => j.cron.isStopped())).to.equal(true);
  });

  it('logs a failed enqueue instead of throwing, and does not wake the worker', async () => {
    h.clock.set('2026-03-09T10:00:00Z');
    const failing = { enqueueDue: () => Promise.reject(new Error('lock timeout')) } as unknown as DeliveryService;
    let wakes = 0;
    await startReportScheduler({ deliveries: failing, clock: h.clock, logger: h.container.logger, onEnqueued: () => wakes++ }).stop();
    expect(logs.text()).to.match(/enqueueing report deliveries failed/);
    expect(logs.text()).to.include('lock timeout');
    expect(wakes).to.equal(0);
  });
});

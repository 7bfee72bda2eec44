import { expect } from 'chai';
import { ConfigError } from '../../../src/config.js';
import { createContainer } from '../../../src/container.js';
import { startReportJobs } from '../../../src/jobs/report-jobs.js';
import { startHarness, testConfig, type Harness } from '../../helpers/harness.js';
import { deliveryRows, reportEnv, seedSubscribers } from '../../helpers/reports.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp.js';

describe('jobs/startReportJobs', function () {
  let smtp: SmtpSink;
  let h: Harness;
  beforeEach(async () => {
    smtp = await startSmtpSink();
    h = await startHarness('postgres', { env: reportEnv(smtp.url) });
  });
  afterEach(async () => {
    await h.close();
    await smtp.close();
  });

  it('sends a catch-up enqueue at once: the scheduler wakes the worker instead of waiting for its poll', async () => {
    h.clock.set('2026-03-09T12:00:00Z'); // Monday 08:00 in Montréal: subscribed before the 09:00 send time
    const subs = await seedSubscribers(h.container, 2);
    h.clock.set('2026-03-09T14:00:00Z'); // 10:00 local: that morning's report is due
    const jobs = startReportJobs(h.container, { pollMs: 3_600_000 });
    try {
      await smtp.waitFor(subs.length);
    } finally {
      await jobs.stop();
    }
    expect((await deliveryRows(h.container)).map((r) => r.status)).to.deep.equal(['sent', 'sent']);
  });

  it('refuses to start when unsubscribe links cannot be signed (PostgreSQL without UNSUBSCRIBE_SECRET)', async () => {
    const c = createContainer(testConfig('postgres', { SMTP_URL: smtp.url }));
    try {
      expect(() => startReportJobs(c)).to.throw(ConfigError, /UNSUBSCRIBE_SECRET/);
    } finally {
      await c.close();
    }
  });
});

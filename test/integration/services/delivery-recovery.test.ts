import { expect } from 'chai';
import { runCli } from '../../helpers/cli.js';
import { TEST_DATABASE_URL } from '../../helpers/env.js';
import { createContainer } from '../../../src/container.js';
import { startHarness, testConfig, type Harness } from '../../helpers/harness.js';
import { ensureDatabase } from '../../helpers/postgres.js';
import { captureLogs } from '../../helpers/log-capture.js';
import { deliveryRows, reportEnv, seedSubscribers } from '../../helpers/reports.js';
import { startSmtpSink, type SmtpBehaviour, type SmtpSink } from '../../helpers/smtp.js';

const MONDAY = '2026-03-09T09:00:00Z';
const NEXT_MONDAY = '2026-03-16T09:00:00Z';

describe('recoverable report delivery', function () {
  this.timeout(90_000);
  let smtp: SmtpSink;
  let h: Harness;
  let behaviour: SmtpBehaviour;

  beforeEach(async () => {
    behaviour = {};
    smtp = await startSmtpSink(behaviour);
    // Send times in UTC: the test clock's Monday 09:00Z is the weekly send time.
    h = await startHarness('postgres', {
      env: { ...reportEnv(smtp.url), REPORT_TIME_ZONE: 'UTC' },
      overrides: { logger: captureLogs().logger, delivery: { backoffBaseMs: 0 } },
    });
    h.clock.set(MONDAY);
  });
  afterEach(async () => {
    await h.close();
    await smtp.close();
  });

  /** Sends the week's reports while the SMTP server refuses everything, until they are failed. */
  async function failEverything(code: number) {
    behaviour.failAlways = true;
    behaviour.failCode = code;
    await h.container.deliveries.enqueueDue('weekly');
    for (let i = 0; i < 3; i++) await h.container.deliveries.drain();
    behaviour.failAlways = false;
  }

  it('retries a failed delivery once SMTP works: the same row and Message-ID, attempts reset, delivered once', async () => {
    const [sub] = await seedSubscribers(h.container, 1);
    await failEverything(451);
    const [failed] = await deliveryRows(h.container);
    expect(failed).to.include({ status: 'failed', attempts: 3 });
    expect(failed.failed_at).to.be.instanceOf(Date);
    // The period's unique key means a plain `reports send` queues nothing new.
    expect(await h.container.deliveries.enqueueDue('weekly')).to.include({ enqueued: 0 });

    const listed = await h.container.deliveries.failed();
    expect(listed[0]).to.include({
      id: failed.id,
      email: sub?.email,
      company_name: 'Entreprise 0',
      period_key: '2026-W10',
      attempts: 3,
      subscription_state: 'active',
    });
    const dry = await h.container.deliveries.retryFailed({ periodKey: '2026-W10', dryRun: true });
    expect(dry.requeued.map((d) => d.id)).to.deep.equal([failed.id]);
    expect((await deliveryRows(h.container))[0]).to.include({ status: 'failed' });

    const retry = await h.container.deliveries.retryFailed({ periodKey: '2026-W10' });
    expect(retry.requeued.map((d) => d.id)).to.deep.equal([failed.id]);
    expect((await deliveryRows(h.container))[0]).to.include({ id: failed.id, status: 'pending', attempts: 0 });
    expect(await h.container.deliveries.drain()).to.include({ sent: 1, failed: 0 });
    expect(smtp.received).to.have.length(1);
    expect(smtp.received[0]?.messageId).to.equal(failed.message_id);
    const rows = await deliveryRows(h.container);
    expect(rows).to.have.length(1);
    expect(rows[0]).to.include({ id: failed.id, status: 'sent', attempts: 1 });
    // Nothing left to retry.
    expect((await h.container.deliveries.retryFailed({})).requeued).to.deep.equal([]);
  });

  it('fails a permanent 5xx at once, and suspends the subscription at the second hard bounce until reactivated', async () => {
    const [sub] = await seedSubscribers(h.container, 1);
    await failEverything(550);
    const [first] = await deliveryRows(h.container);
    expect(first).to.include({ status: 'failed', attempts: 1 });
    expect(smtp.attempts).to.equal(1);
    let row = await h.container.db('email_subscriptions').where({ id: sub?.subscriptionId }).first();
    expect(row).to.include({ bounce_count: 1, active: true, suspended_at: null });

    h.clock.set(NEXT_MONDAY);
    await failEverything(550);
    row = await h.container.db('email_subscriptions').where({ id: sub?.subscriptionId }).first();
    expect(row).to.include({ bounce_count: 2, active: false });
    expect(row.suspended_at).to.be.instanceOf(Date);
    const retry = await h.container.deliveries.retryFailed({});
    expect(retry.requeued).to.deep.equal([]);
    expect(retry.skipped.map((d) => d.reason)).to.deep.equal(['subscription suspended', 'subscription suspended']);

    // The owner subscribing again does not lift the suspension; an operator does.
    const again = await h.container.subscriptions.subscribe(row.analysis_id, {
      email: sub?.email ?? '',
      frequency: 'weekly',
    });
    expect(again.subscription.active).to.equal(false);
    await h.container.subscriptions.reactivate(sub?.subscriptionId ?? '');
    row = await h.container.db('email_subscriptions').where({ id: sub?.subscriptionId }).first();
    expect(row).to.include({ bounce_count: 0, active: true, suspended_at: null });
    expect((await h.container.deliveries.retryFailed({ periodKey: '2026-W11' })).requeued).to.have.length(1);
    expect(await h.container.deliveries.drain()).to.include({ sent: 1 });
  });

  it('`reports retry` requeues and sends from the CLI, one delivery or a whole period, with the same Message-IDs', async () => {
    await seedSubscribers(h.container, 2);
    await failEverything(451);
    const rows = await deliveryRows(h.container);
    const env = { DATABASE_URL: TEST_DATABASE_URL, ...reportEnv(smtp.url) };
    const one = rows[0];
    const dry = await runCli(['reports', 'retry', '--id', one.id, '--dry-run', '--json'], env);
    expect(dry.code, dry.stderr).to.equal(0);
    expect(JSON.parse(dry.stdout)).to.deep.include({ dry_run: true, delivered: null });
    expect((await deliveryRows(h.container)).every((r) => r.status === 'failed')).to.equal(true);

    const single = await runCli(['reports', 'retry', '--id', one.id, '--json'], env);
    expect(single.code, single.stderr).to.equal(0);
    expect(JSON.parse(single.stdout).delivered).to.include({ sent: 1, failed: 0 });
    expect(smtp.received).to.have.length(1);

    const res = await runCli(['reports', 'retry', '--period', '2026-W10'], env);
    expect(res.code, res.stderr).to.equal(0);
    expect(res.stdout)
      .to.match(/queued again 1 failed delivery, left 0/)
      .and.match(/sent 1, will retry 0, failed 0/);
    expect(smtp.received.map((m) => m.messageId).sort()).to.deep.equal(rows.map((r) => r.message_id).sort());
  });

  it('`reports send --json` exits 1 when a delivery failed (a hard bounce fails at once)', async () => {
    // The CLI runs on the real clock: a database of its own holds one subscription, due at the last Monday's send time.
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `${url.pathname}_send_exit`;
    await ensureDatabase(url.toString(), { fresh: true });
    const env = {
      ...reportEnv(smtp.url),
      DATABASE_URL: url.toString(),
      REPORT_TIME_ZONE: 'UTC',
      REPORT_CATCHUP_HOURS: '744',
    };
    const c = createContainer(testConfig('postgres', env));
    try {
      await c.migrate();
      await seedSubscribers(c, 1, { confirmedAt: new Date('2026-01-01T00:00:00Z') });
    } finally {
      await c.close();
    }
    behaviour.failAlways = true;
    behaviour.failCode = 550;
    const res = await runCli(['reports', 'send', '--frequency', 'weekly', '--json'], env);
    expect(res.code, res.stderr).to.equal(1);
    expect(JSON.parse(res.stdout).delivered).to.include({ failed: 1, sent: 0 });
    expect(res.stderr).to.match(/report email attempt failed/); // logs stay off stdout
    // The last line says why the exit status is 1.
    expect(res.stderr.trimEnd().split('\n').at(-1)).to.equal(
      'DELIVERY_FAILED: 1 report(s) could not be delivered; see visionaire reports retry --dry-run',
    );
  });
});

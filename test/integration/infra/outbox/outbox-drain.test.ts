import { expect } from 'chai';
import type { Container } from '../../../../src/container.js';
import { claimConfirmations } from '../../../../src/db/confirmation-outbox-repo.js';
import { claimDeliveries } from '../../../../src/db/report-outbox-repo.js';
import { EmailRenderer } from '../../../../src/infra/mail/email-renderer.js';
import { Sender } from '../../../../src/infra/mail/sender.js';
import { drainOutbox, type OutboxPolicy, type OutboxQueue } from '../../../../src/infra/outbox/outbox-drain.js';
import { ConfirmationOutbox } from '../../../../src/services/confirmation-outbox.js';
import { ReportOutbox } from '../../../../src/services/report-outbox.js';
import { DAY } from '../../../helpers/clock.js';
import { DB_MODES, startHarness, type Harness } from '../../../helpers/harness.js';
import { captureLogs } from '../../../helpers/log-capture.js';
import { deliveryRows, reportEnv, seedSubscribers } from '../../../helpers/reports.js';
import { startSmtpSink, type SmtpBehaviour, type SmtpSink } from '../../../helpers/smtp.js';

const MONDAY = '2026-03-09T13:00:00Z'; // 09:00 in Montréal: the weekly reports are due
const POLICY: OutboxPolicy = { batchSize: 2, concurrency: 2, leaseMs: 60_000, maxAttempts: 3, backoffBaseMs: 10_000 };

/** Both kinds of the outbox, built from a container's parts as the services build them. */
function queues(c: Container) {
  const sender = new Sender({
    mailFrom: c.config.mailFrom,
    postalAddress: c.config.mailPostalAddress,
    embedded: c.config.embedded,
    links: c.links,
  });
  const deps = { db: c.db, cache: c.cache, clock: c.clock, logger: c.logger };
  const renderer = new EmailRenderer(c.views, sender);
  const parts = { ...deps, renderer, mailer: c.mailer, unsubscribes: c.unsubscribes };
  return {
    confirmations: new ConfirmationOutbox({ ...parts, sender, confirmUrl: (id) => c.consents.confirmUrl(id) }),
    reports: new ReportOutbox({ ...parts, reports: c.reports, suspendAfterBounces: 2 }),
  };
}

for (const mode of DB_MODES) {
  describe(`infra/outbox drain (${mode}, real SMTP server)`, function () {
    this.timeout(60_000);
    const behaviour: SmtpBehaviour = {};
    const logs = captureLogs();
    let smtp: SmtpSink;
    let h: Harness;
    let q: ReturnType<typeof queues>;
    const drain = <Row>(queue: OutboxQueue<Row>, opts: { shouldStop?: () => boolean } = {}) =>
      drainOutbox(queue, POLICY, h.container, opts);
    const subscriptions = () => h.container.db('email_subscriptions').orderBy('email').select('*');

    before(async () => {
      smtp = await startSmtpSink(behaviour);
      h = await startHarness(mode, { env: reportEnv(smtp.url), overrides: { logger: logs.logger } });
      q = queues(h.container);
    });
    after(async () => {
      await h?.close();
      await smtp?.close();
    });
    beforeEach(async () => {
      await h.reset();
      for (const k of Object.keys(behaviour)) delete behaviour[k as keyof SmtpBehaviour];
      smtp.received.length = 0;
      h.clock.set(MONDAY);
    });

    it('sends every due row in batches, each once, with the message id of its row', async () => {
      await seedSubscribers(h.container, 3, { confirmed: false });
      const before = smtp.attempts;
      expect(await drain(q.confirmations)).to.deep.equal({ claimed: 3, sent: 3, retrying: 0, failed: 0, cancelled: 0 });
      expect(smtp.attempts - before).to.equal(3);
      expect(smtp.received.map((m) => m.messageId)).to.satisfy((ids: string[]) =>
        ids.every((id) => /^<confirm\.[0-9a-f-]{36}\.\d+@visionaire>$/.test(id)),
      );
      const rows = await subscriptions();
      expect(rows.map((r) => [r.confirmation_attempts, r.confirmation_due_at])).to.deep.equal([
        [1, null],
        [1, null],
        [1, null],
      ]);
      expect((await drain(q.confirmations)).claimed, 'nothing is due any more').to.equal(0);
    });

    it('retries a temporary failure after base × 2^(attempt-1), then sends it', async () => {
      behaviour.failFirst = smtp.attempts + 2;
      const [sub] = await seedSubscribers(h.container, 1, { confirmed: false });
      expect(await drain(q.confirmations)).to.include({ claimed: 1, retrying: 1 });
      let [row] = await subscriptions();
      expect(row.confirmation_due_at.getTime() - h.clock.now().getTime()).to.equal(POLICY.backoffBaseMs);
      h.clock.advance(POLICY.backoffBaseMs - 1);
      expect((await drain(q.confirmations)).claimed, 'not before the backoff ends').to.equal(0);
      h.clock.advance(1);
      expect(await drain(q.confirmations)).to.include({ claimed: 1, retrying: 1 });
      [row] = await subscriptions();
      expect(row.confirmation_due_at.getTime() - h.clock.now().getTime()).to.equal(2 * POLICY.backoffBaseMs);
      h.clock.advance(2 * POLICY.backoffBaseMs);
      expect(await drain(q.confirmations)).to.include({ claimed: 1, sent: 1 });
      [row] = await subscriptions();
      expect(row).to.include({ confirmation_attempts: 3, confirmation_due_at: null });
      expect(smtp.received.map((m) => m.to[0])).to.deep.equal([sub!.email]);
      expect(logs.text()).to.include('confirmation email attempt failed').and.not.include(sub!.email);
    });

    it('gives up after the last temporary failure, and at once on a permanent (5xx) one', async () => {
      behaviour.failAlways = true;
      await seedSubscribers(h.container, 1, { confirmed: false });
      for (let i = 1; i < POLICY.maxAttempts; i++) {
        expect(await drain(q.confirmations)).to.include({ retrying: 1 });
        h.clock.advance(POLICY.backoffBaseMs * 2 ** (i - 1));
      }
      expect(await drain(q.confirmations)).to.include({ claimed: 1, failed: 1 });

      await h.reset();
      h.clock.set(MONDAY); // confirmed by the send time, so the report is due
      behaviour.failCode = 550;
      const [report] = await seedSubscribers(h.container, 1);
      await h.container.deliveries.enqueueDue('weekly');
      const attempts = smtp.attempts;
      expect(await drain(q.reports)).to.include({ claimed: 1, failed: 1 });
      const [row] = await deliveryRows(h.container);
      expect(row).to.include({ status: 'failed', attempts: 1 });
      expect(row.last_error).to.match(/^550 Mailbox <s\*\*\*@example\.org> does not exist/);
      h.clock.advance(DAY);
      expect((await drain(q.reports)).claimed, 'a permanent failure is never retried').to.equal(0);
      expect(smtp.attempts - attempts).to.equal(1);
      const sub = await h.container.db('email_subscriptions').where({ id: report!.subscriptionId }).first();
      expect(sub.bounce_count, 'the hard bounce counts against the address').to.equal(1);
    });

    it('re-claims a row whose worker died once its lease expires, never before, and gives up one that died on its last attempt', async () => {
      await seedSubscribers(h.container, 2, { confirmed: false });
      const now = h.clock.now();
      const claim = { now, leaseUntil: new Date(now.getTime() + POLICY.leaseMs), limit: 10, maxAttempts: 3 };
      const dead = await claimConfirmations(h.container.db, claim); // a worker claims both and dies
      expect(dead).to.have.length(2);
      await h.container.db('email_subscriptions').where({ id: dead[1]!.id }).update({ confirmation_attempts: 3 });

      expect((await drain(q.confirmations)).claimed, 'the lease still holds').to.equal(0);
      h.clock.advance(POLICY.leaseMs);
      expect(await drain(q.confirmations)).to.include({ claimed: 1, sent: 1 });
      const rows = await h.container.db('email_subscriptions').orderBy('confirmation_attempts').select('*');
      expect(rows.map((r) => [r.id, r.confirmation_attempts, r.confirmation_due_at])).to.deep.equal([
        [dead[0]!.id, 2, null],
        [dead[1]!.id, 3, null],
      ]);
      expect(rows[1].confirmation_sent_at, 'given up, not sent').to.equal(null);
      expect(smtp.received).to.have.length(1);
    });

    it('gives back the rows it has not started when told to stop', async () => {
      await seedSubscribers(h.container, 2);
      await h.container.deliveries.enqueueDue('weekly');
      const result = await drainOutbox(q.reports, { ...POLICY, concurrency: 1 }, h.container, {
        shouldStop: () => smtp.received.length >= 1,
      });
      expect(result).to.include({ claimed: 2, sent: 1 });
      const rows = await deliveryRows(h.container);
      expect(rows.map((r) => [r.status, r.attempts]).sort()).to.deep.equal([
        ['pending', 0],
        ['sent', 1],
      ]);
    });

    if (mode === 'postgres') {
      it('skips rows another worker holds locked (FOR UPDATE SKIP LOCKED) instead of waiting for them', async () => {
        await seedSubscribers(h.container, 3);
        await h.container.deliveries.enqueueDue('weekly');
        const [held] = await deliveryRows(h.container);
        const trx = await h.container.db.transaction();
        try {
          await trx('report_deliveries').where({ id: held!.id }).forUpdate().select('id');
          expect(await drain(q.reports)).to.include({ claimed: 2, sent: 2 });
          const now = h.clock.now();
          const claim = { now, leaseUntil: now, limit: 10, maxAttempts: 3 };
          expect(await claimDeliveries(h.container.db, claim), 'the held row is not claimable').to.deep.equal([]);
        } finally {
          await trx.rollback();
        }
        expect(await drain(q.reports)).to.include({ claimed: 1, sent: 1 });
        expect(new Set(smtp.received.map((m) => m.to[0])).size).to.equal(3);
      });
    }
  });
}

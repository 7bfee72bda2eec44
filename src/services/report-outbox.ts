import { recordHardBounce, type DeliveryRow } from '../db/delivery-repo.js';
import {
  claimDeliveries,
  failExpiredLastAttempts,
  lastSentReport,
  markAttemptFailed,
  markCancelled,
  markSent,
  releaseClaims,
} from '../db/report-outbox-repo.js';
import { findSubscription } from '../db/subscription-repo.js';
import type { EmailRenderer } from '../infra/mail/email-renderer.js';
import type { Mailer } from '../infra/mail/mailer.js';
import type { Claim, FailedAttempt, OutboxQueue } from '../infra/outbox/outbox-drain.js';
import type { ServiceDeps } from './deps.js';
import type { ReportService } from './report-service.js';
import type { UnsubscribeService } from './unsubscribe-service.js';

/**
 * The report kind of the outbox: a claimed delivery is rendered for its period and sent to a
 * subscription still active; a hard bounce counts against the address and suspends it after
 * `suspendAfterBounces`.
 */
export class ReportOutbox implements OutboxQueue<DeliveryRow> {
  readonly kind = 'report';

  constructor(
    private readonly deps: ServiceDeps & {
      reports: ReportService;
      renderer: EmailRenderer;
      mailer: Mailer;
      unsubscribes: UnsubscribeService;
      suspendAfterBounces: number;
    },
  ) {}

  expireLastAttempts(now: Date, maxAttempts: number): Promise<number> {
    return failExpiredLastAttempts(this.deps.db, now, maxAttempts);
  }

  claim(claim: Claim): Promise<DeliveryRow[]> {
    return claimDeliveries(this.deps.db, claim);
  }

  attempt(row: DeliveryRow): number {
    return row.attempts;
  }

  describe(row: DeliveryRow): Record<string, unknown> {
    return { deliveryId: row.id, subscriptionId: row.subscription_id, periodKey: row.period_key };
  }

  async send(row: DeliveryRow): Promise<'sent' | 'cancelled'> {
    const log = { ...this.describe(row), attempt: row.attempts };
    const sub = await findSubscription(this.deps.db, row.subscription_id);
    if (!sub?.active || !sub.confirmed_at) {
      await markCancelled(this.deps.db, row.id, 'unsubscribed before the report was sent');
      this.deps.logger.info(log, 'report delivery cancelled: unsubscribed');
      return 'cancelled';
    }
    // Badges are new since the last report this subscription was sent, so a missed one loses none.
    const model = await this.deps.reports.buildReport(sub.analysis_id, {
      frequency: row.frequency,
      now: row.scheduled_at,
      lastReport: await lastSentReport(this.deps.db, sub.id, row.scheduled_at),
    });
    const unsubscribeUrl = this.deps.unsubscribes.url(sub.id);
    const mail = this.deps.renderer.render(model, { frequency: row.frequency, unsubscribeUrl });
    await this.deps.mailer.send({ to: sub.email, ...mail, messageId: row.message_id, unsubscribeUrl });
    await markSent(this.deps.db, row, this.deps.clock.now());
    this.deps.logger.info(log, 'report sent');
    return 'sent';
  }

  async fail(row: DeliveryRow, f: FailedAttempt): Promise<'retrying' | 'failed'> {
    const status = await markAttemptFailed(this.deps.db, row, f);
    if (f.permanent && status === 'failed') {
      const bounce = await recordHardBounce(this.deps.db, row.subscription_id, {
        now: f.now,
        suspendAfter: this.deps.suspendAfterBounces,
      });
      if (bounce.suspended)
        this.deps.logger.warn(
          { subscriptionId: row.subscription_id, bounces: bounce.bounce_count },
          'subscription suspended after hard bounces',
        );
    }
    return status === 'failed' ? 'failed' : 'retrying';
  }

  release(rows: DeliveryRow[]): Promise<void> {
    return releaseClaims(
      this.deps.db,
      rows.map((r) => r.id),
    );
  }
}

import {
  claimDeliveries, countByStatus, failExpiredLastAttempts, insertDueDeliveries, listClaimable, listDueSubscriptions,
  markAttemptFailed, markCancelled, markSent, releaseClaims, type DeliveryRow, type DeliveryStatus,
  type DueSubscription,
} from '../db/delivery-repo.js';
import { tryAdvisoryXactLock } from '../db/locks.js';
import { findSubscription } from '../db/subscription-repo.js';
import { reportPeriod, type Frequency } from '../domain/report-period.js';
import type { ServiceDeps } from './deps.js';
import type { EmailRenderer, RenderedEmail } from '../infra/mail/email-renderer.js';
import type { Mailer } from '../infra/mail/mailer.js';
import type { ReportService } from './report-service.js';
import type { UnsubscribeService } from './unsubscribe-service.js';

/*
 * Delivery semantics: at-least-once, never silently dropped.
 * SMTP has no two-phase commit: the server's 250 after DATA and our `sent` mark are two steps.
 * A worker that dies between them leaves its row `sending`; when the lease expires the row is
 * claimed again and the mail sent again. We accept that rare duplicate rather than lose a report
 * (at-most-once would mark the row before sending and lose it on a crash). Every attempt of a
 * delivery carries the same Message-ID, so receiving systems can drop the duplicate.
 * The rows themselves are never duplicated: (subscription_id, period_key) is unique.
 */

export type DeliveryOptions = {
  /** Rows claimed per round trip. */
  batchSize: number;
  /** Mails in flight at once per worker. */
  concurrency: number;
  /** How long a claim lasts before another worker may take the row over. */
  leaseMs: number;
  maxAttempts: number;
  /** Retry n waits backoffBaseMs × 2^(n-1). */
  backoffBaseMs: number;
};

export const DEFAULT_DELIVERY_OPTIONS: DeliveryOptions = {
  batchSize: 50, concurrency: 10, leaseMs: 5 * 60_000, maxAttempts: 3, backoffBaseMs: 5 * 60_000,
};

export type EnqueueResult = { frequency: Frequency; period_key: string; leader: boolean; enqueued: number };
export type DeliveryPlan = { frequency: Frequency; period_key: string; due: DueSubscription[] };
export type DrainResult = { claimed: number; sent: number; retrying: number; failed: number; cancelled: number };
type Outcome = 'sent' | 'retrying' | 'failed' | 'cancelled';

const ADDRESS = /[^\s<>()[\]"',;:]+@[^\s<>()[\]"',;:]+/g;

/** An error as kept on the row and in logs: the SMTP reply when there is one, addresses removed. */
function describeError(err: unknown): string {
  const e = err as { response?: string; message?: string };
  return String(e.response ?? e.message ?? err).replace(ADDRESS, '[address]').slice(0, 1000);
}

/** The report outbox: enqueue due subscriptions once per period, then claim, render, send and record. */
export class DeliveryService {
  readonly options: DeliveryOptions;

  constructor(
    private readonly deps: ServiceDeps & {
      reports: ReportService;
      renderer: EmailRenderer;
      mailer: Mailer;
      unsubscribes: UnsubscribeService;
      options?: Partial<DeliveryOptions>;
    },
  ) {
    this.options = { ...DEFAULT_DELIVERY_OPTIONS, ...deps.options };
  }

  /**
   * Queues one delivery per due subscription for the period that `now` reports on. Only the
   * holder of a transaction-level advisory lock enqueues, so concurrent schedulers are safe;
   * the unique key makes a late second run a no-op as well.
   */
  async enqueueDue(frequency: Frequency, now: Date = this.deps.clock.now()): Promise<EnqueueResult> {
    const period = reportPeriod(frequency, now);
    const result = await this.deps.db.transaction(async (trx) => {
      if (!(await tryAdvisoryXactLock(trx, `visionaire:reports:enqueue:${frequency}`))) {
        return { frequency, period_key: period.key, leader: false, enqueued: 0 };
      }
      return { frequency, period_key: period.key, leader: true, enqueued: await insertDueDeliveries(trx, frequency, period.key, now) };
    });
    this.deps.logger.info(result, result.leader ? 'report deliveries enqueued' : 'another scheduler is enqueueing');
    return result;
  }

  /** What `enqueueDue` would queue now, without writing anything. */
  async planDue(frequency: Frequency, now: Date = this.deps.clock.now()): Promise<DeliveryPlan> {
    const period = reportPeriod(frequency, now);
    return { frequency, period_key: period.key, due: await listDueSubscriptions(this.deps.db, frequency, period.key) };
  }

  /** Queued rows that a drain would send now (pending and due, or with an expired lease). */
  async claimable(now: Date = this.deps.clock.now()) {
    return listClaimable(this.deps.db, now);
  }

  async counts(periodKey?: string): Promise<Record<DeliveryStatus, number>> {
    return countByStatus(this.deps.db, periodKey);
  }

  /**
   * Sends everything that is due now, batch after batch, until nothing is left or `shouldStop`
   * says so. Rows claimed but not started when stopping are given back.
   */
  async drain(opts: { shouldStop?: () => boolean } = {}): Promise<DrainResult> {
    const shouldStop = opts.shouldStop ?? (() => false);
    const o = this.options;
    const total: DrainResult = { claimed: 0, sent: 0, retrying: 0, failed: 0, cancelled: 0 };
    while (!shouldStop()) {
      const now = this.deps.clock.now();
      await failExpiredLastAttempts(this.deps.db, now, o.maxAttempts);
      const rows = await claimDeliveries(this.deps.db, { now, leaseUntil: new Date(now.getTime() + o.leaseMs), limit: o.batchSize, maxAttempts: o.maxAttempts });
      if (rows.length === 0) break;
      total.claimed += rows.length;
      const queue = [...rows];
      const lane = async () => {
        for (let row = queue.shift(); row; row = shouldStop() ? undefined : queue.shift()) total[await this.deliver(row)] += 1;
      };
      await Promise.all(Array.from({ length: Math.min(o.concurrency, rows.length) }, lane));
      await releaseClaims(this.deps.db, queue.map((r) => r.id));
    }
    return total;
  }

  /** The email an analysis would get now, with a placeholder unsubscribe link (no subscription involved). */
  async preview(analysisId: string, frequency: Frequency, now: Date = this.deps.clock.now()): Promise<RenderedEmail> {
    const model = await this.deps.reports.buildReport(analysisId, { frequency, now });
    return this.deps.renderer.render(model, { frequency, unsubscribeUrl: this.deps.unsubscribes.previewUrl() });
  }

  /** The delay before retry `attempt` + 1. */
  retryDelayMs(attempt: number): number {
    return this.options.backoffBaseMs * 2 ** Math.max(0, attempt - 1);
  }

  private async deliver(row: DeliveryRow): Promise<Outcome> {
    const log = { deliveryId: row.id, subscriptionId: row.subscription_id, periodKey: row.period_key, attempt: row.attempts };
    const sub = await findSubscription(this.deps.db, row.subscription_id);
    if (!sub?.active) {
      await markCancelled(this.deps.db, row.id, 'unsubscribed before the report was sent');
      this.deps.logger.info(log, 'report delivery cancelled: unsubscribed');
      return 'cancelled';
    }
    try {
      const model = await this.deps.reports.buildReport(sub.analysis_id, { frequency: row.frequency, now: row.scheduled_at });
      const unsubscribeUrl = this.deps.unsubscribes.url(sub.id);
      const mail = this.deps.renderer.render(model, { frequency: row.frequency, unsubscribeUrl });
      await this.deps.mailer.send({ to: sub.email, ...mail, messageId: row.message_id, unsubscribeUrl });
    } catch (err) {
      const error = describeError(err);
      const retryAt = new Date(this.deps.clock.now().getTime() + this.retryDelayMs(row.attempts));
      const status = await markAttemptFailed(this.deps.db, row, { error, retryAt, maxAttempts: this.options.maxAttempts });
      this.deps.logger.warn({ ...log, status, error, ...(status === 'pending' ? { retryAt } : {}) }, 'report delivery attempt failed');
      return status === 'failed' ? 'failed' : 'retrying';
    }
    await markSent(this.deps.db, row, this.deps.clock.now());
    this.deps.logger.info(log, 'report sent');
    return 'sent';
  }
}

import { countDueDeliveries } from '../db/console-repo.js';
import type { Knex } from 'knex';
import {
  claimDeliveries,
  countByStatus,
  failExpiredLastAttempts,
  insertDueDeliveries,
  listClaimable,
  listDueSubscriptions,
  listFailedDeliveries,
  markAttemptFailed,
  markCancelled,
  markSent,
  recordHardBounce,
  releaseClaims,
  requeueFailed,
  subscriberTimeZones,
  type DeliveryRow,
  type DeliveryStatus,
  type DueSlot,
  type DueSubscription,
  type FailedDelivery,
} from '../db/delivery-repo.js';
import { tryAdvisoryXactLock } from '../db/locks.js';
import { findSubscription } from '../db/subscription-repo.js';
import type { Frequency } from '../domain/report-period.js';
import { dueSlot } from '../domain/report-schedule.js';
import type { ServiceDeps } from './deps.js';
import type { EmailRenderer, RenderedEmail } from '../infra/mail/email-renderer.js';
import type { Mailer } from '../infra/mail/mailer.js';
import type { ReportService } from './report-service.js';
import type { UnsubscribeService } from './unsubscribe-service.js';
import type { Sender } from '../infra/mail/sender.js';

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
  /** Hard bounces (permanent SMTP 5xx) after which a subscription is suspended. */
  suspendAfterBounces: number;
};

export const DEFAULT_DELIVERY_OPTIONS: DeliveryOptions = {
  batchSize: 50,
  concurrency: 10,
  leaseMs: 5 * 60_000,
  maxAttempts: 3,
  backoffBaseMs: 5 * 60_000,
  suspendAfterBounces: 2,
};

export const FREQUENCIES: readonly Frequency[] = ['weekly', 'monthly'];

/** One period's reports in one time zone, due since `send_at`. */
export type DuePeriod = { frequency: Frequency; time_zone: string; period_key: string; send_at: Date };
export type EnqueueResult = {
  frequency: Frequency;
  leader: boolean;
  enqueued: number;
  periods: (DuePeriod & { enqueued: number })[];
};
export type DeliveryPlan = DuePeriod & { due: DueSubscription[] };
/** A report the next send would deliver: already queued (with its attempts so far) or due and not queued yet. */
export type PlannedReport = {
  subscription_id: string;
  analysis_id: string;
  period_key: string;
  company_name?: string | null;
  attempts?: number;
};
export type SendDueResult = {
  dry_run: boolean;
  /** Per frequency and time zone: the period due now and how many reports it has (queued now, or would queue). */
  periods: (DuePeriod & { due: number; enqueued: number })[];
  /** Dry run only: every report a real run would send now. */
  would_send: PlannedReport[];
  /** What was sent, unless this was a dry run or `drain` was off. */
  delivered: DrainResult | null;
};
export type DrainResult = { claimed: number; sent: number; retrying: number; failed: number; cancelled: number };
type Outcome = 'sent' | 'retrying' | 'failed' | 'cancelled';
/** What `retryFailed` found: the rows it requeued (or would), and those left alone with why. */
export type RetryResult = {
  dry_run: boolean;
  requeued: FailedDelivery[];
  skipped: (FailedDelivery & { reason: string })[];
};

const ADDRESS = /[^\s<>()[\]"',;:]+@[^\s<>()[\]"',;:]+/g;

/** A permanent SMTP failure (5xx reply): retrying cannot help, the address is refused. */
function isHardBounce(err: unknown): boolean {
  const code = Number((err as { responseCode?: unknown }).responseCode);
  return code >= 500 && code < 600;
}

/** An error as kept on the row and in logs: the SMTP reply when there is one, addresses removed. */
function describeError(err: unknown): string {
  const e = err as { response?: string; message?: string };
  return String(e.response ?? e.message ?? err)
    .replace(ADDRESS, '[address]')
    .slice(0, 1000);
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
      sender: Sender;
      /** REPORT_TIME_ZONE, for analyses that name no zone. */
      defaultTimeZone: string;
      catchUpHours: number;
      options?: Partial<DeliveryOptions>;
    },
  ) {
    this.options = { ...DEFAULT_DELIVERY_OPTIONS, ...deps.options };
  }

  /** Fails fast (ConfigError) when reports cannot be sent: no link secret, or no postal address in production. */
  ensureReady(): void {
    this.deps.sender.ensureReady();
  }

  /**
   * Queues the reports that have come due and, unless `drain` is off, sends everything queued; the
   * `reports send` command and the scheduler both come here. A dry run writes nothing and lists
   * what a real run would send.
   */
  async sendDue(
    opts: {
      frequencies?: readonly Frequency[];
      dryRun?: boolean;
      drain?: boolean;
      now?: Date;
      onProgress?: (done: number, total: number) => void;
    } = {},
  ): Promise<SendDueResult> {
    const now = opts.now ?? this.deps.clock.now();
    const frequencies = opts.frequencies ?? FREQUENCIES;
    if (opts.dryRun) {
      const plans = (await Promise.all(frequencies.map((f) => this.planDue(f, now)))).flat();
      const queued = (await listClaimable(this.deps.db, now)).filter((d) => frequencies.includes(d.frequency));
      return {
        dry_run: true,
        periods: plans.map(({ due, ...p }) => ({ ...p, due: due.length, enqueued: 0 })),
        would_send: [
          ...queued.map((d) => ({
            subscription_id: d.subscription_id,
            analysis_id: d.analysis_id,
            period_key: d.period_key,
            attempts: d.attempts,
          })),
          ...plans.flatMap((p) => p.due.map((d) => ({ ...d, period_key: p.period_key }))),
        ],
        delivered: null,
      };
    }
    this.ensureReady();
    const periods: SendDueResult['periods'] = [];
    for (const f of frequencies) {
      for (const p of (await this.enqueueDue(f, now)).periods) periods.push({ ...p, due: p.enqueued });
    }
    return {
      dry_run: false,
      periods,
      would_send: [],
      delivered: opts.drain === false ? null : await this.drain({ onProgress: opts.onProgress }),
    };
  }

  /**
   * Queues one delivery per due subscription, in every time zone whose 09:00 send time passed at
   * most REPORT_CATCHUP_HOURS ago. Only the holder of a transaction-level advisory lock enqueues,
   * so concurrent schedulers are safe; the unique key makes a late second run a no-op as well.
   */
  async enqueueDue(frequency: Frequency, now: Date = this.deps.clock.now()): Promise<EnqueueResult> {
    const result = await this.deps.db.transaction(async (trx): Promise<EnqueueResult> => {
      if (!(await tryAdvisoryXactLock(trx, `visionaire:reports:enqueue:${frequency}`))) {
        return { frequency, leader: false, enqueued: 0, periods: [] };
      }
      const periods = [];
      for (const slot of await this.dueSlots(trx, frequency, now)) {
        periods.push({ ...this.describe(slot), enqueued: await insertDueDeliveries(trx, slot, now) });
      }
      return { frequency, leader: true, enqueued: periods.reduce((n, p) => n + p.enqueued, 0), periods };
    });
    // A tick every few minutes mostly finds nothing: only what was queued is worth an info line.
    if (result.enqueued > 0) this.deps.logger.info(result, 'report deliveries enqueued');
    else this.deps.logger.debug(result, result.leader ? 'no report deliveries due' : 'another scheduler is enqueueing');
    return result;
  }

  /** What `enqueueDue` would queue now, per time zone, without writing anything. */
  private async planDue(frequency: Frequency, now: Date): Promise<DeliveryPlan[]> {
    const plans = [];
    for (const slot of await this.dueSlots(this.deps.db, frequency, now)) {
      plans.push({ ...this.describe(slot), due: await listDueSubscriptions(this.deps.db, slot) });
    }
    return plans;
  }

  /** The periods whose send time has come, per subscriber time zone, within the catch-up window. */
  private async dueSlots(q: Knex, frequency: Frequency, now: Date): Promise<DueSlot[]> {
    const { defaultTimeZone, catchUpHours } = this.deps;
    const slots: DueSlot[] = [];
    for (const timeZone of await subscriberTimeZones(q, frequency, defaultTimeZone)) {
      const slot = dueSlot(frequency, now, timeZone, catchUpHours * 3_600_000);
      if (slot) slots.push({ frequency, periodKey: slot.period.key, sendAt: slot.sendAt, timeZone, defaultTimeZone });
    }
    return slots;
  }

  private describe(slot: DueSlot): DuePeriod {
    return { frequency: slot.frequency, time_zone: slot.timeZone, period_key: slot.periodKey, send_at: slot.sendAt };
  }

  async counts(periodKey?: string): Promise<Record<DeliveryStatus, number>> {
    return countByStatus(this.deps.db, periodKey);
  }

  /**
   * Sends everything that is due now, batch after batch, until nothing is left or `shouldStop`
   * says so. Rows claimed but not started when stopping are given back.
   */
  async drain(
    opts: { shouldStop?: () => boolean; onProgress?: (done: number, total: number) => void } = {},
  ): Promise<DrainResult> {
    const shouldStop = opts.shouldStop ?? (() => false);
    const o = this.options;
    const total: DrainResult = { claimed: 0, sent: 0, retrying: 0, failed: 0, cancelled: 0 };
    // Progress counts against what was due at the start (more may come due on the way).
    const due = opts.onProgress ? await countDueDeliveries(this.deps.db, this.deps.clock.now()) : 0;
    let done = 0;
    while (!shouldStop()) {
      const now = this.deps.clock.now();
      await failExpiredLastAttempts(this.deps.db, now, o.maxAttempts);
      const rows = await claimDeliveries(this.deps.db, {
        now,
        leaseUntil: new Date(now.getTime() + o.leaseMs),
        limit: o.batchSize,
        maxAttempts: o.maxAttempts,
      });
      if (rows.length === 0) break;
      total.claimed += rows.length;
      const queue = [...rows];
      const lane = async () => {
        for (let row = queue.shift(); row; row = shouldStop() ? undefined : queue.shift()) {
          total[await this.deliver(row)] += 1;
          opts.onProgress?.(++done, Math.max(due, total.claimed));
        }
      };
      await Promise.all(Array.from({ length: Math.min(o.concurrency, rows.length) }, lane));
      await releaseClaims(
        this.deps.db,
        queue.map((r) => r.id),
      );
    }
    return total;
  }

  /** Failed deliveries, newest first: one (`id`), one period, or all. */
  async failed(
    opts: { id?: string | undefined; periodKey?: string | undefined; limit?: number } = {},
  ): Promise<FailedDelivery[]> {
    return listFailedDeliveries(this.deps.db, opts);
  }

  /**
   * Requeues failed deliveries (one by id, a period's, or all): the same row, so the same period
   * and Message-ID, attempts reset, due now. Deliveries whose subscription is suspended or
   * unsubscribed are left alone. `dryRun` only says what would move.
   */
  async retryFailed(opts: {
    id?: string | undefined;
    periodKey?: string | undefined;
    dryRun?: boolean;
  }): Promise<RetryResult> {
    const candidates = await listFailedDeliveries(this.deps.db, { id: opts.id, periodKey: opts.periodKey });
    const skipped = candidates
      .filter((d) => d.subscription_state !== 'active')
      .map((d) => ({ ...d, reason: `subscription ${d.subscription_state}` }));
    const eligible = candidates.filter((d) => d.subscription_state === 'active');
    if (opts.dryRun) return { dry_run: true, requeued: eligible, skipped };
    const moved = new Set(
      await requeueFailed(
        this.deps.db,
        eligible.map((d) => d.id),
        this.deps.clock.now(),
      ),
    );
    const requeued = eligible.filter((d) => moved.has(d.id));
    this.deps.logger.info(
      { requeued: requeued.length, skipped: skipped.length, periodKey: opts.periodKey, deliveryId: opts.id },
      'failed report deliveries requeued',
    );
    return { dry_run: false, requeued, skipped };
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
    const log = {
      deliveryId: row.id,
      subscriptionId: row.subscription_id,
      periodKey: row.period_key,
      attempt: row.attempts,
    };
    const sub = await findSubscription(this.deps.db, row.subscription_id);
    if (!sub?.active || !sub.confirmed_at) {
      await markCancelled(this.deps.db, row.id, 'unsubscribed before the report was sent');
      this.deps.logger.info(log, 'report delivery cancelled: unsubscribed');
      return 'cancelled';
    }
    try {
      const model = await this.deps.reports.buildReport(sub.analysis_id, {
        frequency: row.frequency,
        now: row.scheduled_at,
      });
      const unsubscribeUrl = this.deps.unsubscribes.url(sub.id);
      const mail = this.deps.renderer.render(model, { frequency: row.frequency, unsubscribeUrl });
      await this.deps.mailer.send({ to: sub.email, ...mail, messageId: row.message_id, unsubscribeUrl });
    } catch (err) {
      return this.recordFailure(row, sub.id, err);
    }
    await markSent(this.deps.db, row, this.deps.clock.now());
    this.deps.logger.info(log, 'report sent');
    return 'sent';
  }

  /** A temporary failure waits for the next attempt; a hard bounce fails at once and counts against the address. */
  private async recordFailure(row: DeliveryRow, subscriptionId: string, err: unknown): Promise<Outcome> {
    const log = { deliveryId: row.id, subscriptionId, periodKey: row.period_key, attempt: row.attempts };
    const error = describeError(err);
    const permanent = isHardBounce(err);
    const now = this.deps.clock.now();
    const retryAt = new Date(now.getTime() + this.retryDelayMs(row.attempts));
    const status = await markAttemptFailed(this.deps.db, row, {
      error,
      retryAt,
      maxAttempts: this.options.maxAttempts,
      now,
      permanent,
    });
    this.deps.logger.warn(
      { ...log, status, error, permanent, ...(status === 'pending' ? { retryAt } : {}) },
      'report delivery attempt failed',
    );
    if (permanent && status === 'failed') {
      const bounce = await recordHardBounce(this.deps.db, subscriptionId, {
        now,
        suspendAfter: this.options.suspendAfterBounces,
      });
      if (bounce.suspended)
        this.deps.logger.warn(
          { subscriptionId, bounces: bounce.bounce_count },
          'subscription suspended after hard bounces',
        );
    }
    return status === 'failed' ? 'failed' : 'retrying';
  }
}

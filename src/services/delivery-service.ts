import { countDueDeliveries } from '../db/console-repo.js';
import type { Knex } from 'knex';
import {
  countByStatus,
  insertDueDeliveries,
  listClaimable,
  listDueSubscriptions,
  listFailedDeliveries,
  requeueFailed,
  subscriberTimeZones,
  type DeliveryStatus,
  type DueSlot,
  type DueSubscription,
  type FailedDelivery,
} from '../db/delivery-repo.js';
import { tryAdvisoryXactLock } from '../db/locks.js';
import type { Frequency } from '../domain/report-period.js';
import { dueSlot } from '../domain/report-schedule.js';
import type { ServiceDeps } from './deps.js';
import type { EmailRenderer, RenderedEmail } from '../infra/mail/email-renderer.js';
import type { Mailer } from '../infra/mail/mailer.js';
import { drainOutbox, retryDelayMs, type DrainResult, type OutboxPolicy } from '../infra/outbox/outbox-drain.js';
import { ReportOutbox } from './report-outbox.js';
import type { ReportService } from './report-service.js';
import type { UnsubscribeService } from './unsubscribe-service.js';
import type { Sender } from '../infra/mail/sender.js';

export type { DrainResult };

// Delivery semantics (at-least-once, one Message-ID per delivery) are the outbox's: see infra/outbox.
// The rows themselves are never duplicated: (subscription_id, period_key) is unique.

export type DeliveryOptions = OutboxPolicy & {
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
/** What `retryFailed` found: the rows it requeued (or would), and those left alone with why. */
export type RetryResult = {
  dry_run: boolean;
  requeued: FailedDelivery[];
  skipped: (FailedDelivery & { reason: string })[];
};

/** The report outbox: enqueue due subscriptions once per period, then claim, render, send and record. */
export class DeliveryService {
  readonly options: DeliveryOptions;
  private readonly outbox: ReportOutbox;

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
    this.outbox = new ReportOutbox({ ...deps, suspendAfterBounces: this.options.suspendAfterBounces });
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
    const { shouldStop, onProgress } = opts;
    // Progress counts against what was due at the start (more may come due on the way).
    const due = onProgress ? await countDueDeliveries(this.deps.db, this.deps.clock.now()) : 0;
    return drainOutbox(this.outbox, this.options, this.deps, {
      shouldStop,
      onProgress: onProgress && ((done, claimed) => onProgress(done, Math.max(due, claimed))),
    });
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
    return retryDelayMs(this.options, attempt);
  }
}

import { findSubscription } from '../db/subscription-repo.js';
import type { DeliveryStatus } from '../db/delivery-repo.js';
import {
  findSubscriptionWithAnalysis,
  requeueConfirmation,
  searchDeliveries,
  searchSubscriptions,
  type DeliveryListRow,
  type SubscriptionListRow,
} from '../db/support-repo.js';
import { consentExpired, maskIp, subscriptionStatus, type SubscriptionStatus } from '../domain/consent.js';
import { requireUuid } from '../domain/ids.js';
import { queuedNote, reactivatedNote } from '../domain/liveness.js';
import type { Frequency } from '../domain/report-period.js';
import { InvalidTransitionError, NotFoundError } from '../errors.js';
import type { ServiceDeps } from './deps.js';
import type { DeliveryService } from './delivery-service.js';
import type { LivenessService } from './liveness-service.js';
import type { SubscriptionService } from './subscription-service.js';

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

/** Delivery states as support staff name them: a `pending` row is `queued`. */
export type DeliveryState = 'queued' | 'sending' | 'sent' | 'failed' | 'cancelled';
export const DELIVERY_STATES: readonly DeliveryState[] = ['queued', 'sending', 'sent', 'failed', 'cancelled'];
export const SUBSCRIPTION_STATES: readonly SubscriptionStatus[] = ['active', 'pending', 'suspended', 'unsubscribed'];
const toDb = (s: DeliveryState): DeliveryStatus => (s === 'queued' ? 'pending' : s);

/** One subscription, ids and email in full (support staff copy them). */
export type SubscriptionSummary = {
  subscription_id: string;
  analysis_id: string;
  email: string;
  company_name: string | null;
  frequency: Frequency;
  time_zone: string;
  status: SubscriptionStatus;
  bounce_count: number;
  created_at: string;
};

export type DeliveryView = {
  id: string;
  subscription_id: string;
  analysis_id: string;
  email: string;
  company_name: string | null;
  period_key: string;
  state: DeliveryState;
  attempts: number;
  last_error: string | null;
  next_attempt_at: string | null;
  sent_at: string | null;
  failed_at: string | null;
};

/** Everything support staff need about one subscription: who, its state, its consent, its deliveries. */
export type SubscriptionDetail = SubscriptionSummary & {
  suspended_at: string | null;
  consent: {
    requested_at: string | null;
    request_ip: string | null;
    request_user_agent: string | null;
    confirmation_sent_at: string | null;
    confirmed_at: string | null;
    confirm_ip: string | null;
    confirm_user_agent: string | null;
  };
  deliveries: DeliveryView[];
};

/** What an action did, and whether anything will act on it: the sentence the console and CLI show. */
export type ActionOutcome = { done: string; workers_alive: number | null; note: string };

/** Finding subscriptions and deliveries, and the support actions on them; the console and the CLI share it. */
export class SupportService {
  constructor(
    private readonly deps: ServiceDeps & {
      defaultTimeZone: string;
      liveness: LivenessService;
      subscriptions: SubscriptionService;
      deliveries: DeliveryService;
      onConsentRequested?: () => void;
    },
  ) {}

  /** Subscriptions matching a filter (substring of email, company or ids; a state), newest first. */
  async findSubscriptions(f: {
    text?: string | undefined;
    email?: string | undefined;
    analysisId?: string | undefined;
    status?: SubscriptionStatus | undefined;
    limit?: number | undefined;
  }): Promise<SubscriptionSummary[]> {
    const analysisId = f.analysisId === undefined ? undefined : requireUuid(f.analysisId, 'analysis');
    const rows = await searchSubscriptions(this.deps.db, { ...f, analysisId, limit: f.limit ?? 50 });
    return rows.map((r) => this.summary(r));
  }

  /** One subscription in full, with its consent record and its deliveries, newest first. */
  async subscription(id: string): Promise<SubscriptionDetail> {
    const sid = requireUuid(id, 'subscription');
    const [row, full, deliveries] = await Promise.all([
      findSubscriptionWithAnalysis(this.deps.db, sid),
      findSubscription(this.deps.db, sid),
      searchDeliveries(this.deps.db, { subscriptionId: sid, limit: 100 }),
    ]);
    if (!row || !full) throw new NotFoundError(`Subscription with ID ${id} not found`);
    return {
      ...this.summary(row),
      suspended_at: iso(row.suspended_at),
      consent: {
        requested_at: iso(full.consent_requested_at),
        request_ip: maskIp(full.consent_request_ip),
        request_user_agent: full.consent_request_user_agent,
        confirmation_sent_at: iso(full.confirmation_sent_at),
        confirmed_at: iso(full.confirmed_at),
        confirm_ip: maskIp(full.consent_confirm_ip),
        confirm_user_agent: full.consent_confirm_user_agent,
      },
      deliveries: deliveries.map(deliveryView),
    };
  }

  /** Report deliveries matching a filter, newest period first. */
  async findDeliveries(f: {
    state?: DeliveryState | undefined;
    periodKey?: string | undefined;
    email?: string | undefined;
    limit?: number | undefined;
  }): Promise<DeliveryView[]> {
    const rows = await searchDeliveries(this.deps.db, {
      status: f.state === undefined ? undefined : toDb(f.state),
      periodKey: f.periodKey,
      email: f.email,
      limit: f.limit ?? 100,
    });
    return rows.map(deliveryView);
  }

  /** Switches a suspended (or unsubscribed) subscription back on; says whether a scheduler will queue its reports. */
  async reactivate(id: string): Promise<ActionOutcome & { subscription: SubscriptionDetail }> {
    await this.deps.subscriptions.reactivate(id);
    const [subscription, schedulers] = await Promise.all([this.subscription(id), this.alive('scheduler')]);
    return {
      subscription,
      done: `${subscription.email} is active again`,
      workers_alive: schedulers,
      note: reactivatedNote(schedulers),
    };
  }

  /** Queues a pending subscription's confirmation email again (now, whatever the resend limit). */
  async resendConfirmation(id: string): Promise<ActionOutcome & { subscription: SubscriptionDetail }> {
    const before = await this.subscription(id);
    const row = await findSubscription(this.deps.db, before.subscription_id);
    if (before.status !== 'pending') throw new InvalidTransitionError(before.status, 'confirmation resent');
    if (row && consentExpired(row, this.deps.clock.now()))
      throw new InvalidTransitionError('expired', 'confirmation resent (the address must subscribe again)');
    if (!(await requeueConfirmation(this.deps.db, before.subscription_id, this.deps.clock.now())))
      throw new InvalidTransitionError('not pending', 'confirmation resent');
    this.deps.onConsentRequested?.();
    this.deps.logger.info({ subscriptionId: before.subscription_id }, 'confirmation email queued again');
    const workers = await this.alive('confirmations');
    return {
      subscription: await this.subscription(id),
      done: `confirmation email to ${before.email}`,
      workers_alive: workers,
      note: queuedNote(workers),
    };
  }

  /** Requeues one failed delivery; says whether a live delivery worker will send it. */
  async retryDelivery(id: string): Promise<ActionOutcome & { requeued: number; skipped: string | null }> {
    const did = requireUuid(id, 'delivery');
    const r = await this.deps.deliveries.retryFailed({ id: did });
    if (r.requeued.length === 0 && r.skipped.length === 0) throw new NotFoundError(`No failed delivery with ID ${id}`);
    const workers = await this.alive('worker');
    const skipped = r.skipped[0]?.reason ?? null;
    return {
      requeued: r.requeued.length,
      skipped,
      done: skipped ? `delivery left alone (${skipped})` : `delivery ${did} of ${r.requeued[0]?.period_key}`,
      workers_alive: workers,
      note: skipped ? 'nothing queued' : queuedNote(workers),
    };
  }

  /** Live instances of a role, or null when the heartbeats cannot be read. */
  async alive(role: 'scheduler' | 'worker' | 'confirmations'): Promise<number | null> {
    const l = await this.deps.liveness.status().catch(() => null);
    if (!l) return null;
    return role === 'scheduler' ? l.schedulers : role === 'worker' ? l.workers : l.confirmations;
  }

  private summary(r: SubscriptionListRow): SubscriptionSummary {
    return {
      subscription_id: r.id,
      analysis_id: r.analysis_id,
      email: r.email,
      company_name: r.company_name,
      frequency: r.frequency,
      time_zone: r.time_zone ?? this.deps.defaultTimeZone,
      status: subscriptionStatus(r),
      bounce_count: r.bounce_count,
      created_at: new Date(r.created_at).toISOString(),
    };
  }
}

function deliveryView(d: DeliveryListRow): DeliveryView {
  return {
    id: d.id,
    subscription_id: d.subscription_id,
    analysis_id: d.analysis_id,
    email: d.email,
    company_name: d.company_name,
    period_key: d.period_key,
    state: d.status === 'pending' ? 'queued' : d.status,
    attempts: d.attempts,
    last_error: d.last_error,
    next_attempt_at: d.status === 'pending' ? iso(d.next_attempt_at) : null,
    sent_at: iso(d.sent_at),
    failed_at: iso(d.failed_at),
  };
}

import type { Knex } from 'knex';
import { setHourlyRate, setTimeZone } from '../db/analysis-repo.js';
import {
  findSubscriptionByEmail,
  insertPendingSubscription,
  reactivateSubscription,
  updateSubscription,
  type ConsentSource,
  type Frequency,
  type SubscriptionRow,
} from '../db/subscription-repo.js';
import { CONFIRMATION_RESEND_MS, subscriptionStatus, type SubscriptionStatus } from '../domain/consent.js';
import { requireUuid } from '../domain/ids.js';
import { NotFoundError } from '../errors.js';
import { requireAnalysis } from './analysis-state.js';
import type { ServiceDeps } from './deps.js';

export type SubscribeInput = {
  email: string;
  frequency: Frequency;
  hourly_rate?: number | null | undefined;
  time_zone?: string | undefined;
};
export type Subscription = Pick<
  SubscriptionRow,
  'analysis_id' | 'email' | 'frequency' | 'active' | 'hourly_rate' | 'created_at'
> & {
  subscription_id: string;
  status: SubscriptionStatus;
};

/** The response: `active` is true exactly when `status` is `active`, so the two cannot disagree. */
function view(r: SubscriptionRow): Subscription {
  const status = subscriptionStatus(r);
  return {
    subscription_id: r.id,
    analysis_id: r.analysis_id,
    email: r.email,
    frequency: r.frequency,
    active: status === 'active',
    hourly_rate: r.hourly_rate,
    created_at: r.created_at,
    status,
  };
}

const NO_SOURCE: ConsentSource = { ip: null, userAgent: null };

/** Email report subscriptions, with double opt-in. */
export class SubscriptionService {
  constructor(private readonly deps: ServiceDeps & { onConsentRequested?: () => void }) {}

  /**
   * Subscribes an email (case-insensitive) to an analysis's reports. A new address, or one that
   * unsubscribed, starts `pending` and gets a confirmation email; a confirmed one stays confirmed
   * and gets its frequency and rate updated. A suspended one (hard bounces) stays suspended, and
   * the answer says so: only an operator lifts a suspension. Whether the address is known to other
   * analyses changes nothing in the answer. Repeating a request changes nothing and invalidates nothing.
   */
  async subscribe(
    analysisId: string,
    input: SubscribeInput,
    source: ConsentSource = NO_SOURCE,
  ): Promise<{ subscription: Subscription; created: boolean }> {
    const out = await this.deps.cache.invalidatingTransaction(this.deps.db, async (trx, invalidate) => {
      const result = await this.subscribeIn(trx, analysisId, input, source);
      if (result.changed) invalidate(analysisId);
      return result;
    });
    if (out.row.confirmation_due_at) this.deps.onConsentRequested?.();
    this.deps.logger.info(
      {
        analysisId,
        subscriptionId: out.row.id,
        created: out.created,
        changed: out.changed,
        status: subscriptionStatus(out.row),
      },
      'subscribed',
    );
    return { subscription: view(out.row), created: out.created };
  }

  /** The subscribe's writes, in the caller's transaction; `changed` is false for an exact repeat. */
  private async subscribeIn(trx: Knex.Transaction, analysisId: string, input: SubscribeInput, source: ConsentSource) {
    const analysis = await requireAnalysis(trx, analysisId, { forUpdate: true });
    const rate = input.hourly_rate ?? null;
    const rateChanged = rate !== null && rate !== analysis.hourly_rate;
    if (rateChanged) await setHourlyRate(trx, analysisId, rate);
    const zoneChanged = !!input.time_zone && input.time_zone !== analysis.time_zone;
    if (zoneChanged) await setTimeZone(trx, analysisId, input.time_zone!);
    const analysisChanged = rateChanged || zoneChanged;
    const email = input.email.trim().toLowerCase();
    const at = this.deps.clock.now();
    const existing = await findSubscriptionByEmail(trx, analysisId, email);
    if (!existing) {
      const row = await insertPendingSubscription(trx, {
        analysisId,
        email,
        frequency: input.frequency,
        hourlyRate: rate,
        at,
        source,
      });
      return { row, created: true, changed: true };
    }
    const differs = (row: SubscriptionRow) =>
      analysisChanged ||
      row.frequency !== existing.frequency ||
      row.hourly_rate !== existing.hourly_rate ||
      subscriptionStatus(row) !== subscriptionStatus(existing);
    // Confirmed: stays confirmed. Suspended after hard bounces: only an operator lifts that, and no mail goes out meanwhile.
    if ((existing.active && existing.confirmed_at) || existing.suspended_at) {
      const row = await updateSubscription(trx, existing.id, { frequency: input.frequency, hourlyRate: rate });
      return { row, created: false, changed: differs(row) };
    }
    // Pending, or unsubscribed since: a new consent request. A confirmation that went out a
    // moment ago is not sent again, so the endpoint cannot be used to flood a mailbox.
    const recent =
      existing.active &&
      existing.confirmation_sent_at !== null &&
      at.getTime() - existing.confirmation_sent_at.getTime() < CONFIRMATION_RESEND_MS;
    const row = await updateSubscription(trx, existing.id, {
      frequency: input.frequency,
      hourlyRate: rate,
      request: { at, source, sendConfirmation: !recent },
    });
    return { row, created: false, changed: differs(row) };
  }

  /** Switches a subscription back on after a suspension for hard bounces (an operator's decision). */
  async reactivate(subscriptionId: string): Promise<Subscription> {
    requireUuid(subscriptionId, 'subscription');
    const row = await this.deps.cache.invalidatingTransaction(this.deps.db, async (trx, invalidate) => {
      const reactivated = await reactivateSubscription(trx, subscriptionId.toLowerCase());
      if (reactivated) invalidate(reactivated.analysis_id);
      return reactivated;
    });
    if (!row) throw new NotFoundError(`Subscription with ID ${subscriptionId} not found`);
    this.deps.logger.info({ subscriptionId: row.id }, 'subscription reactivated');
    return view(row);
  }
}

import { findAnalysis, setHourlyRate } from '../db/analysis-repo.js';
import { reactivateSubscription, upsertSubscription, type Frequency, type SubscriptionRow } from '../db/subscription-repo.js';
import { requireUuid } from '../domain/ids.js';
import { NotFoundError } from '../errors.js';
import type { ServiceDeps } from './deps.js';

export type SubscribeInput = { email: string; frequency: Frequency; hourly_rate?: number | null | undefined };
export type Subscription = Pick<SubscriptionRow, 'analysis_id' | 'email' | 'frequency' | 'active' | 'hourly_rate' | 'created_at'> & {
  subscription_id: string;
};

const view = (r: SubscriptionRow): Subscription => ({
  subscription_id: r.id,
  analysis_id: r.analysis_id,
  email: r.email,
  frequency: r.frequency,
  active: r.active,
  hourly_rate: r.hourly_rate,
  created_at: r.created_at,
});

/** Email report subscriptions. */
export class SubscriptionService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Subscribes an email (case-insensitive) to an analysis's reports; a repeat re-activates and updates it. */
  async subscribe(analysisId: string, input: SubscribeInput): Promise<{ subscription: Subscription; created: boolean }> {
    const out = await this.deps.db.transaction(async (trx) => {
      const analysis = await findAnalysis(trx, analysisId, { forUpdate: true });
      if (!analysis) throw new NotFoundError(`Analysis with ID ${analysisId} not found`);
      const rate = input.hourly_rate ?? null;
      if (rate !== null && rate !== analysis.hourly_rate) await setHourlyRate(trx, analysisId, rate);
      const { row, created } = await upsertSubscription(trx, {
        analysisId,
        email: input.email.trim().toLowerCase(),
        frequency: input.frequency,
        hourlyRate: rate,
        at: this.deps.clock.now(),
      });
      return { subscription: view(row), created };
    });
    await this.deps.cache.invalidateAnalysis(analysisId);
    this.deps.logger.info({ analysisId, subscriptionId: out.subscription.subscription_id, created: out.created }, 'subscribed');
    return out;
  }

  /** Switches a subscription back on after a suspension for hard bounces (an operator's decision). */
  async reactivate(subscriptionId: string): Promise<Subscription> {
    requireUuid(subscriptionId, 'subscription');
    const row = await reactivateSubscription(this.deps.db, subscriptionId.toLowerCase());
    if (!row) throw new NotFoundError(`Subscription with ID ${subscriptionId} not found`);
    await this.deps.cache.invalidateAnalysis(row.analysis_id);
    this.deps.logger.info({ subscriptionId: row.id }, 'subscription reactivated');
    return view(row);
  }
}

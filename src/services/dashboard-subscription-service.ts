import {
  findSubscriptionOfAnalysis,
  listSubscriptions,
  setSubscriptionFrequency,
  withdrawSubscription,
  type ConsentSource,
  type Frequency,
  type SubscriptionRow,
} from '../db/subscription-repo.js';
import { subscriptionStatus, type SubscriptionStatus } from '../domain/consent.js';
import { maskEmailForDashboard } from '../domain/email-mask.js';
import { NotFoundError } from '../errors.js';
import { requireAnalysis } from './analysis-state.js';
import type { ServiceDeps } from './deps.js';

/** A subscription as its dashboard shows it: never the full address. */
export type DashboardSubscription = {
  subscription_id: string;
  frequency: Frequency;
  status: SubscriptionStatus;
  created_at: Date;
  masked_email: string;
};

/** What the consent record names as the way a dashboard withdrawal came. */
export const DASHBOARD_WITHDRAWAL = 'dashboard';

const entry = (r: SubscriptionRow): DashboardSubscription => ({
  subscription_id: r.id,
  frequency: r.frequency,
  status: subscriptionStatus(r),
  created_at: r.created_at,
  masked_email: maskEmailForDashboard(r.email),
});

/**
 * The subscriptions of one dashboard, managed by whoever holds its link (the same capability that
 * opens its data). A subscription of another dashboard is not found, never shown.
 */
export class DashboardSubscriptionService {
  constructor(private readonly deps: ServiceDeps) {}

  /** The dashboard's subscriptions, oldest first, addresses masked. */
  async list(analysisId: string): Promise<DashboardSubscription[]> {
    await requireAnalysis(this.deps.db, analysisId);
    return (await listSubscriptions(this.deps.db, analysisId)).map(entry);
  }

  /** Changes one subscription's frequency; its consent and state stay as they are. */
  async changeFrequency(analysisId: string, subscriptionId: string, frequency: Frequency) {
    const row = await this.deps.cache.invalidatingTransaction(this.deps.db, async (trx, invalidate) => {
      const found = await this.require(trx, analysisId, subscriptionId);
      if (found.frequency === frequency) return found;
      invalidate(analysisId);
      return setSubscriptionFrequency(trx, found.id, frequency);
    });
    this.deps.logger.info({ analysisId, subscriptionId, frequency }, 'subscription frequency changed');
    return entry(row);
  }

  /**
   * Unsubscribes: no report goes out afterwards, and the consent record keeps the withdrawal (source
   * `dashboard`). Cancelling one already unsubscribed changes nothing.
   */
  async cancel(analysisId: string, subscriptionId: string, source: ConsentSource): Promise<void> {
    const changed = await this.deps.cache.invalidatingTransaction(this.deps.db, async (trx, invalidate) => {
      const found = await this.require(trx, analysisId, subscriptionId);
      if (found.consent_withdrawn_at || subscriptionStatus(found) === 'unsubscribed') return false;
      await withdrawSubscription(trx, found.id, { at: this.deps.clock.now(), via: DASHBOARD_WITHDRAWAL, source });
      invalidate(analysisId);
      return true;
    });
    if (changed) this.deps.logger.info({ analysisId, subscriptionId }, 'unsubscribed from the dashboard');
  }

  private async require(q: ServiceDeps['db'], analysisId: string, subscriptionId: string): Promise<SubscriptionRow> {
    await requireAnalysis(q, analysisId, { forUpdate: true });
    const row = await findSubscriptionOfAnalysis(q, analysisId, subscriptionId);
    if (!row) throw new NotFoundError(`Subscription with ID ${subscriptionId} not found`);
    return row;
  }
}

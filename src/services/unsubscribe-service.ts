import { withdrawSubscription, type ConsentSource, type SubscriptionRow } from '../db/subscription-repo.js';
import { findAnalysis } from '../db/analysis-repo.js';
import type { Frequency } from '../domain/report-period.js';
import { NotFoundError } from '../errors.js';
import type { ServiceDeps } from './deps.js';
import { subscriptionOfLink } from './subscription-link.js';
import type { SignedLinks } from '../infra/mail/signed-links.js';
import { apiUrl } from '../api-paths.js';

/** What an unsubscribe page shows; never the email address. */
export type UnsubscribeTarget = {
  subscription_id: string;
  analysis_id: string;
  company_name: string | null;
  frequency: Frequency;
  active: boolean;
};

/** One-click unsubscribe (RFC 8058) through HMAC-signed links. */
export class UnsubscribeService {
  constructor(private readonly deps: ServiceDeps & { links: SignedLinks; publicUrl: string }) {}

  /** The link a report carries: GET shows a confirmation page, POST unsubscribes. */
  url(subscriptionId: string): string {
    return apiUrl(this.deps.publicUrl, `/unsubscribe/${this.deps.links.sign('unsubscribe', subscriptionId)}`);
  }

  /** Where previews point their unsubscribe link: not a valid token, so following it changes nothing. */
  previewUrl(): string {
    return apiUrl(this.deps.publicUrl, '/unsubscribe/apercu');
  }

  /** Who a token unsubscribes; changes nothing (link prefetchers follow GETs). */
  async lookup(token: string): Promise<UnsubscribeTarget> {
    const row = await this.subscriptionOf(token);
    return this.target(row);
  }

  /** Deactivates the token's subscription and records the withdrawal; repeating it is harmless. */
  async unsubscribe(
    token: string,
    source: ConsentSource = { ip: null, userAgent: null },
  ): Promise<UnsubscribeTarget & { changed: boolean }> {
    const before = await this.subscriptionOf(token);
    const row = await this.deps.cache.invalidatingTransaction(this.deps.db, async (trx, invalidate) => {
      const after = before.active
        ? await withdrawSubscription(trx, before.id, { at: this.deps.clock.now(), via: 'unsubscribe_link', source })
        : before;
      if (after && before.active) invalidate(after.analysis_id);
      return after;
    });
    if (!row) throw new NotFoundError('This subscription no longer exists');
    if (before.active) this.deps.logger.info({ subscriptionId: row.id, analysisId: row.analysis_id }, 'unsubscribed');
    return { ...(await this.target(row)), changed: before.active };
  }

  /** The subscription a valid unsubscribe link names (404 once it is gone). */
  subscriptionOf(token: string): Promise<SubscriptionRow> {
    return subscriptionOfLink(this.deps.db, this.deps.links, 'unsubscribe', token);
  }

  private async target(row: SubscriptionRow): Promise<UnsubscribeTarget> {
    const analysis = await findAnalysis(this.deps.db, row.analysis_id);
    return {
      subscription_id: row.id,
      analysis_id: row.analysis_id,
      company_name: analysis?.results_summary?.identity_a1.company_name ?? null,
      frequency: row.frequency,
      active: Boolean(row.active),
    };
  }
}

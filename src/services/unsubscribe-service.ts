import { ConfigError } from '../config.js';
import { findSubscription, setSubscriptionActive, type SubscriptionRow } from '../db/subscription-repo.js';
import { findAnalysis } from '../db/analysis-repo.js';
import type { Frequency } from '../domain/report-period.js';
import { InvalidInputError, NotFoundError, ServiceUnavailableError, UnauthorizedError } from '../errors.js';
import type { ServiceDeps } from './deps.js';
import type { UnsubscribeTokens } from '../infra/mail/unsubscribe-tokens.js';

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
  constructor(private readonly deps: ServiceDeps & { tokens: UnsubscribeTokens; publicUrl: string }) {}

  /** The link a report carries: GET shows a confirmation page, POST unsubscribes. */
  url(subscriptionId: string): string {
    return `${this.deps.publicUrl}/api/v1/unsubscribe/${this.deps.tokens.sign(subscriptionId)}`;
  }

  /** Where previews point their unsubscribe link: not a valid token, so following it changes nothing. */
  previewUrl(): string {
    return `${this.deps.publicUrl}/api/v1/unsubscribe/apercu`;
  }

  /** Who a token unsubscribes; changes nothing (link prefetchers follow GETs). */
  async lookup(token: string): Promise<UnsubscribeTarget> {
    const row = await this.subscriptionOf(token);
    return this.target(row);
  }

  /** Deactivates the token's subscription; repeating it is harmless. */
  async unsubscribe(token: string): Promise<UnsubscribeTarget & { changed: boolean }> {
    const before = await this.subscriptionOf(token);
    const row = before.active ? await setSubscriptionActive(this.deps.db, before.id, false) : before;
    if (!row) throw new NotFoundError('This subscription no longer exists');
    await this.deps.cache.invalidateAnalysis(row.analysis_id);
    if (before.active) this.deps.logger.info({ subscriptionId: row.id, analysisId: row.analysis_id }, 'unsubscribed');
    return { ...(await this.target(row)), changed: before.active };
  }

  private async subscriptionOf(token: string): Promise<SubscriptionRow> {
    let check;
    try {
      check = this.deps.tokens.verify(token);
    } catch (err) {
      if (err instanceof ConfigError) throw new ServiceUnavailableError('Unsubscribe links cannot be verified: UNSUBSCRIBE_SECRET is not configured');
      throw err;
    }
    if (!check.ok && check.reason === 'malformed') {
      throw new InvalidInputError('Malformed unsubscribe link', [{ field: 'path.token', message: 'not an unsubscribe token' }]);
    }
    if (!check.ok) throw new UnauthorizedError('This unsubscribe link is not valid');
    const row = await findSubscription(this.deps.db, check.subscriptionId);
    if (!row) throw new NotFoundError('This subscription no longer exists');
    return row;
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

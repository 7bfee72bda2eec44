import { findAnalysis } from '../db/analysis-repo.js';
import {
  confirmSubscription,
  deleteExpiredPending,
  listSubscriptions,
  type ConsentSource,
  type SubscriptionRow,
} from '../db/subscription-repo.js';
import {
  consentExpired,
  maskIp,
  PENDING_TTL_MS,
  subscriptionStatus,
  type SubscriptionStatus,
} from '../domain/consent.js';
import { maskEmail } from '../domain/email-mask.js';
import type { Frequency } from '../domain/report-period.js';
import { NotFoundError } from '../errors.js';
import type { EmailRenderer } from '../infra/mail/email-renderer.js';
import type { Mailer } from '../infra/mail/mailer.js';
import type { Sender } from '../infra/mail/sender.js';
import type { SignedLinks } from '../infra/mail/signed-links.js';
import { apiUrl } from '../api-paths.js';
import { drainOutbox, type DrainResult } from '../infra/outbox/outbox-drain.js';
import { CONFIRMATION_POLICY, ConfirmationOutbox } from './confirmation-outbox.js';
import type { ServiceDeps } from './deps.js';
import { subscriptionOfLink } from './subscription-link.js';
import type { UnsubscribeService } from './unsubscribe-service.js';

/** What the confirmation page shows; never the email address. */
export type ConsentTarget = {
  subscription_id: string;
  analysis_id: string;
  company_name: string | null;
  frequency: Frequency;
  state: 'pending' | 'confirmed' | 'expired' | 'unsubscribed';
};

/** The proof of consent of one subscription, masked for support staff. */
export type ConsentRecord = {
  subscription_id: string;
  email: string;
  frequency: Frequency;
  status: SubscriptionStatus;
  active: boolean;
  requested_at: Date | null;
  request_ip: string | null;
  request_user_agent: string | null;
  confirmation_sent_at: Date | null;
  confirmed_at: Date | null;
  confirm_ip: string | null;
  confirm_user_agent: string | null;
  withdrawn_at: Date | null;
  withdrawal_source: string | null;
  withdraw_ip: string | null;
  withdraw_user_agent: string | null;
};

export type ConfirmationPass = DrainResult & { expired: number };

/** Double opt-in: confirmation emails, the confirm link, expiry, and the consent record. */
export class ConsentService {
  private readonly listeners = new Set<() => void>();
  private readonly outbox: ConfirmationOutbox;

  constructor(
    private readonly deps: ServiceDeps & {
      links: SignedLinks;
      unsubscribes: UnsubscribeService;
      renderer: EmailRenderer;
      mailer: Mailer;
      sender: Sender;
      publicUrl: string;
    },
  ) {
    this.outbox = new ConfirmationOutbox({ ...deps, confirmUrl: (id) => this.confirmUrl(id) });
  }

  /** Fails fast (ConfigError) when confirmation emails cannot be sent. */
  ensureReady(): void {
    this.deps.sender.ensureReady();
  }

  /** Calls `listener` whenever a confirmation email is queued in this process; returns the way to stop. */
  onRequested(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells the listeners (the confirmation worker) that a confirmation email is due. */
  requested(): void {
    for (const l of this.listeners) l();
  }

  /** The link a confirmation email carries: GET shows a page, POST confirms. */
  confirmUrl(subscriptionId: string): string {
    return apiUrl(this.deps.publicUrl, `/subscriptions/confirm/${this.deps.links.sign('confirm', subscriptionId)}`);
  }

  /** What a confirmation link is about; changes nothing (link scanners follow GETs). */
  async lookup(token: string): Promise<ConsentTarget> {
    return this.target(await this.subscriptionOf(token));
  }

  /** Confirms the link's subscription and records where the confirmation came from; repeating it is harmless. */
  async confirm(token: string, source: ConsentSource): Promise<ConsentTarget & { changed: boolean }> {
    const before = await this.subscriptionOf(token);
    const now = this.deps.clock.now();
    if (!before.active) throw new NotFoundError('This subscription was cancelled; subscribe again');
    if (consentExpired(before, now)) throw new NotFoundError('This confirmation link has expired; subscribe again');
    const row = await this.deps.cache.invalidatingTransaction(this.deps.db, async (trx, invalidate) => {
      const confirmed = before.confirmed_at ? before : await confirmSubscription(trx, before.id, now, source);
      if (confirmed && !before.confirmed_at) invalidate(confirmed.analysis_id);
      return confirmed;
    });
    if (!row) return { ...(await this.target(await this.subscriptionOf(token))), changed: false };
    if (!before.confirmed_at)
      this.deps.logger.info({ subscriptionId: row.id, analysisId: row.analysis_id }, 'subscription confirmed');
    return { ...(await this.target(row)), changed: !before.confirmed_at };
  }

  /**
   * One pass of the confirmation outbox: deletes the pending subscriptions older than 7 days, then
   * sends the confirmation emails that are due.
   */
  async sendConfirmations(opts: { shouldStop?: () => boolean } = {}): Promise<ConfirmationPass> {
    const now = this.deps.clock.now();
    const expired = await deleteExpiredPending(this.deps.db, new Date(now.getTime() - PENDING_TTL_MS));
    if (expired > 0) this.deps.logger.info({ expired }, 'pending subscriptions expired');
    return { expired, ...(await drainOutbox(this.outbox, CONFIRMATION_POLICY, this.deps, opts)) };
  }

  /** The consent records of an analysis's subscriptions, with addresses and IPs masked. */
  async consentRecords(analysisId: string): Promise<ConsentRecord[]> {
    return (await listSubscriptions(this.deps.db, analysisId)).map((r) => ({
      subscription_id: r.id,
      email: maskEmail(r.email),
      frequency: r.frequency,
      status: subscriptionStatus(r),
      active: subscriptionStatus(r) === 'active',
      requested_at: r.consent_requested_at,
      request_ip: maskIp(r.consent_request_ip),
      request_user_agent: r.consent_request_user_agent,
      confirmation_sent_at: r.confirmation_sent_at,
      confirmed_at: r.confirmed_at,
      confirm_ip: maskIp(r.consent_confirm_ip),
      confirm_user_agent: r.consent_confirm_user_agent,
      withdrawn_at: r.consent_withdrawn_at ?? null,
      withdrawal_source: r.consent_withdrawal_source ?? null,
      withdraw_ip: maskIp(r.consent_withdraw_ip ?? null),
      withdraw_user_agent: r.consent_withdraw_user_agent ?? null,
    }));
  }

  private subscriptionOf(token: string): Promise<SubscriptionRow> {
    return subscriptionOfLink(this.deps.db, this.deps.links, 'confirm', token);
  }

  private async target(row: SubscriptionRow): Promise<ConsentTarget> {
    const analysis = await findAnalysis(this.deps.db, row.analysis_id);
    const state = !row.active
      ? 'unsubscribed'
      : row.confirmed_at
        ? 'confirmed'
        : consentExpired(row, this.deps.clock.now())
          ? 'expired'
          : 'pending';
    return {
      subscription_id: row.id,
      analysis_id: row.analysis_id,
      company_name: analysis?.results_summary?.identity_a1.company_name ?? null,
      frequency: row.frequency,
      state,
    };
  }
}

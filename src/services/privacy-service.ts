import { randomBytes } from 'node:crypto';
import {
  anonymiseOldDeliveries,
  anonymiseWithdrawnConsentIps,
  deliveriesOf,
  eraseAddress,
  listErasures,
  subscriptionsOfEmail,
  type ErasureRow,
} from '../db/privacy-repo.js';
import { consentExpired, subscriptionStatus } from '../domain/consent.js';
import { erasureHash, retentionCutoffs, subscriberAddress, type RetentionPolicy } from '../domain/privacy.js';
import type { ServiceDeps } from './deps.js';
import type { UnsubscribeService } from './unsubscribe-service.js';

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

/** Everything held about one address (a data-access request under Law 25 / GDPR). */
export type PrivacyExport = {
  email: string;
  exported_at: string;
  subscriptions: {
    subscription_id: string;
    analysis_id: string;
    company_name: string | null;
    frequency: string;
    state: 'pending' | 'expired' | 'active' | 'unsubscribed' | 'suspended';
    hourly_rate: number | null;
    created_at: string | null;
    last_sent_at: string | null;
    consent: {
      requested_at: string | null;
      request_ip: string | null;
      request_user_agent: string | null;
      confirmation_sent_at: string | null;
      confirmed_at: string | null;
      confirm_ip: string | null;
      confirm_user_agent: string | null;
      withdrawn_at: string | null;
      withdraw_ip: string | null;
      withdraw_user_agent: string | null;
    };
    deliveries: {
      delivery_id: string;
      period_key: string;
      frequency: string;
      state: string;
      scheduled_at: string | null;
      sent_at: string | null;
      failed_at: string | null;
      attempts: number;
      last_error: string | null;
    }[];
  }[];
  suppression: { suspended_subscriptions: number; hard_bounces: number; erasures: { id: string; erased_at: string }[] };
};

export type ErasureResult = { erasure_id: string; erased_at: string; subscriptions: number; deliveries: number };
export type RetentionPass = { deliveries: number; consent_ips: number };

/** A subscription's state in an export: its one state (domain/consent.ts), and `expired` for a pending one whose link lapsed. */
function exportState(
  s: Parameters<typeof subscriptionStatus>[0] & Parameters<typeof consentExpired>[0],
  now: Date,
): PrivacyExport['subscriptions'][number]['state'] {
  const status = subscriptionStatus(s);
  return status === 'pending' && consentExpired(s, now) ? 'expired' : status;
}

/** A subscriber's data rights: export, erasure, and the retention periods the scheduler applies. */
export class PrivacyService {
  constructor(private readonly deps: ServiceDeps & { unsubscribes: UnsubscribeService; retention: RetentionPolicy }) {}

  /** Everything held about an address, across every analysis. */
  async exportData(address: string): Promise<PrivacyExport> {
    const email = subscriberAddress(address);
    const db = this.deps.db;
    const now = this.deps.clock.now();
    const subs = await subscriptionsOfEmail(db, email);
    const deliveries = await deliveriesOf(
      db,
      subs.map((s) => s.id),
    );
    return {
      email,
      exported_at: now.toISOString(),
      subscriptions: subs.map((s) => ({
        subscription_id: s.id,
        analysis_id: s.analysis_id,
        company_name: s.company_name,
        frequency: s.frequency,
        state: exportState(s, now),
        hourly_rate: s.hourly_rate === null ? null : Number(s.hourly_rate),
        created_at: iso(s.created_at),
        last_sent_at: iso(s.last_sent_at),
        consent: {
          requested_at: iso(s.consent_requested_at),
          request_ip: s.consent_request_ip,
          request_user_agent: s.consent_request_user_agent,
          confirmation_sent_at: iso(s.confirmation_sent_at),
          confirmed_at: iso(s.confirmed_at),
          confirm_ip: s.consent_confirm_ip,
          confirm_user_agent: s.consent_confirm_user_agent,
          withdrawn_at: iso(s.consent_withdrawn_at ?? null),
          withdraw_ip: s.consent_withdraw_ip ?? null,
          withdraw_user_agent: s.consent_withdraw_user_agent ?? null,
        },
        deliveries: deliveries
          .filter((d) => d.subscription_id === s.id)
          .map((d) => ({
            delivery_id: d.id,
            period_key: d.period_key,
            frequency: d.frequency,
            state: d.status,
            scheduled_at: iso(d.scheduled_at),
            sent_at: iso(d.sent_at),
            failed_at: iso(d.failed_at),
            attempts: d.attempts,
            last_error: d.last_error,
          })),
      })),
      suppression: {
        suspended_subscriptions: subs.filter((s) => s.suspended_at).length,
        hard_bounces: subs.reduce((n, s) => n + (s.bounce_count ?? 0), 0),
        erasures: (await this.erasuresOf(email)).map((e) => ({ id: e.id, erased_at: iso(e.erased_at)! })),
      },
    };
  }

  /** Erases an address everywhere; the salted hash recorded proves it was done. */
  async erase(address: string, via: ErasureRow['requested_via'] = 'cli'): Promise<ErasureResult> {
    const email = subscriberAddress(address);
    const salt = randomBytes(16).toString('hex');
    const { erasure } = await this.deps.cache.invalidatingTransaction(this.deps.db, async (trx, invalidate) => {
      const out = await eraseAddress(trx, {
        email,
        salt,
        hash: erasureHash(salt, email),
        via,
        at: this.deps.clock.now(),
      });
      for (const id of out.analysisIds) invalidate(id);
      return out;
    });
    // Never the address: the erasure id is what support can quote.
    this.deps.logger.info(
      { erasureId: erasure.id, subscriptions: erasure.subscriptions, deliveries: erasure.deliveries, via },
      'subscriber data erased',
    );
    return {
      erasure_id: erasure.id,
      erased_at: iso(erasure.erased_at)!,
      subscriptions: erasure.subscriptions,
      deliveries: erasure.deliveries,
    };
  }

  /** "Also delete my data" behind a signed unsubscribe link: the same erasure, for that link's address. */
  async eraseByUnsubscribeLink(token: string): Promise<ErasureResult> {
    const sub = await this.deps.unsubscribes.subscriptionOf(token);
    return this.erase(sub.email, 'unsubscribe_link');
  }

  /** The recorded erasures of an address (checked against each salted hash). */
  async erasuresOf(address: string): Promise<ErasureRow[]> {
    const email = subscriberAddress(address);
    return (await listErasures(this.deps.db)).filter((e) => e.email_hash === erasureHash(e.salt, email));
  }

  /** Anonymises what has outlived its retention period; what the scheduler runs daily. */
  async applyRetention(): Promise<RetentionPass> {
    const cut = retentionCutoffs(this.deps.clock.now(), this.deps.retention);
    const pass = {
      deliveries: cut.deliveries ? await anonymiseOldDeliveries(this.deps.db, cut.deliveries) : 0,
      consent_ips: cut.consentIps ? await anonymiseWithdrawnConsentIps(this.deps.db, cut.consentIps) : 0,
    };
    if (pass.deliveries || pass.consent_ips) this.deps.logger.info(pass, 'retention: personal data anonymised');
    return pass;
  }
}

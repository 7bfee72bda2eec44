import type { Knex } from 'knex';
import type { SubscriptionRow } from './subscription-repo.js';
import type { DeliveryRow } from './delivery-repo.js';

export type ErasureRow = {
  id: string;
  salt: string;
  email_hash: string;
  requested_via: 'cli' | 'unsubscribe_link';
  subscriptions: number;
  deliveries: number;
  erased_at: Date;
};

/** Every subscription of an address, across analyses, with the company it is about. */
export async function subscriptionsOfEmail(
  q: Knex,
  email: string,
): Promise<(SubscriptionRow & { company_name: string | null })[]> {
  return q('email_subscriptions as s')
    .leftJoin('analyses as a', 'a.id', 's.analysis_id')
    .select('s.*', q.raw(`a.results_summary->'identity_a1'->>'company_name' AS company_name`))
    .where('s.email', email)
    .orderBy('s.created_at');
}

/** The deliveries of some subscriptions, oldest first. */
export async function deliveriesOf(q: Knex, subscriptionIds: readonly string[]): Promise<DeliveryRow[]> {
  if (subscriptionIds.length === 0) return [];
  return q('report_deliveries').whereIn('subscription_id', subscriptionIds).orderBy('scheduled_at');
}

export async function listErasures(q: Knex): Promise<ErasureRow[]> {
  return q('erasures').orderBy('erased_at');
}

/**
 * Erases an address in one transaction: its queued reports are cancelled; its deliveries lose
 * their subscription and error text; its consent records keep only their dates; its subscriptions
 * (pending confirmations included) are deleted; the salted hash is recorded.
 */
export async function eraseAddress(
  q: Knex,
  e: { email: string; salt: string; hash: string; via: ErasureRow['requested_via']; at: Date },
): Promise<{ erasure: ErasureRow; analysisIds: string[] }> {
  return q.transaction(async (trx) => {
    const subs: { id: string; analysis_id: string }[] = await trx('email_subscriptions')
      .select('id', 'analysis_id')
      .where({ email: e.email })
      .forUpdate();
    const ids = subs.map((s) => s.id);
    let deliveries = 0;
    if (ids.length) {
      await trx('report_deliveries')
        .whereIn('subscription_id', ids)
        .whereIn('status', ['pending', 'sending'])
        .update({ status: 'cancelled', locked_until: null });
      deliveries = await trx('report_deliveries')
        .whereIn('subscription_id', ids)
        .update({ subscription_id: null, last_error: null });
      await trx.raw(
        `INSERT INTO anonymised_consents (analysis_id, frequency, requested_at, confirmed_at, withdrawn_at, anonymised_at)
         SELECT analysis_id, frequency, consent_requested_at, confirmed_at, consent_withdrawn_at, ?
         FROM email_subscriptions WHERE id = ANY(?::uuid[])`,
        [e.at, ids],
      );
      await trx('email_subscriptions').whereIn('id', ids).delete();
    }
    const [erasure] = await trx('erasures')
      .insert({
        salt: e.salt,
        email_hash: e.hash,
        requested_via: e.via,
        subscriptions: ids.length,
        deliveries,
        erased_at: e.at,
      })
      .returning('*');
    return { erasure: erasure as ErasureRow, analysisIds: [...new Set(subs.map((s) => s.analysis_id))] };
  });
}

/** Retention: deliveries created before `before` lose their subscription and error text. */
export async function anonymiseOldDeliveries(q: Knex, before: Date): Promise<number> {
  return q('report_deliveries')
    .where('created_at', '<', before)
    .whereNotNull('subscription_id')
    .whereNotIn('status', ['pending', 'sending'])
    .update({ subscription_id: null, last_error: null });
}

/** Retention: consent IPs and user agents of subscriptions withdrawn before `before` are dropped. */
export async function anonymiseWithdrawnConsentIps(q: Knex, before: Date): Promise<number> {
  return q('email_subscriptions')
    .where('consent_withdrawn_at', '<', before)
    .where((w) =>
      w
        .whereNotNull('consent_request_ip')
        .orWhereNotNull('consent_request_user_agent')
        .orWhereNotNull('consent_confirm_ip')
        .orWhereNotNull('consent_confirm_user_agent')
        .orWhereNotNull('consent_withdraw_ip')
        .orWhereNotNull('consent_withdraw_user_agent'),
    )
    .update({
      consent_request_ip: null,
      consent_request_user_agent: null,
      consent_confirm_ip: null,
      consent_confirm_user_agent: null,
      consent_withdraw_ip: null,
      consent_withdraw_user_agent: null,
    });
}

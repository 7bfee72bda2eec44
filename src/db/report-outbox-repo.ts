import type { Knex } from 'knex';
import type { LastReport } from '../domain/report-period.js';
import type { DeliveryRow, DeliveryStatus } from './delivery-repo.js';

// The report outbox's states: pending → sending (claimed under a lease) → sent | pending (retry) | failed | cancelled.

/**
 * Claims up to `limit` rows that are due (pending and past their backoff) or whose lease expired
 * (a worker died while sending). One statement, so the claim is its own short transaction:
 * claimed rows become `sending` with a lease and their attempt is counted.
 */
export async function claimDeliveries(
  q: Knex,
  opts: { now: Date; leaseUntil: Date; limit: number; maxAttempts: number },
): Promise<DeliveryRow[]> {
  const { rows } = await q.raw(
    `UPDATE report_deliveries
     SET status = 'sending', attempts = attempts + 1, claimed_at = :now, locked_until = :leaseUntil
     WHERE id IN (
       SELECT id FROM report_deliveries
       WHERE (status = 'pending' AND next_attempt_at <= :now)
          OR (status = 'sending' AND locked_until <= :now AND attempts < :maxAttempts)
       ORDER BY next_attempt_at
       LIMIT :limit
       FOR UPDATE SKIP LOCKED)
     RETURNING *`,
    { now: opts.now, leaseUntil: opts.leaseUntil, limit: opts.limit, maxAttempts: opts.maxAttempts },
  );
  return rows as DeliveryRow[];
}

/** Rows whose worker died during their last allowed attempt: failed, with the reason kept. */
export async function failExpiredLastAttempts(q: Knex, now: Date, maxAttempts: number): Promise<number> {
  return q('report_deliveries')
    .where('status', 'sending')
    .andWhere('locked_until', '<=', now)
    .andWhere('attempts', '>=', maxAttempts)
    .update({
      status: 'failed',
      failed_at: now,
      locked_until: null,
      last_error: 'the worker stopped during the last attempt (lease expired)',
    });
}

/** Marks a delivery sent and stamps the subscription's last_sent_at, atomically. */
export async function markSent(q: Knex, d: Pick<DeliveryRow, 'id' | 'subscription_id'>, now: Date): Promise<void> {
  await q.transaction(async (trx) => {
    await trx('report_deliveries')
      .where({ id: d.id })
      .update({ status: 'sent', sent_at: now, locked_until: null, last_error: null });
    await trx('email_subscriptions').where({ id: d.subscription_id }).update({ last_sent_at: now, bounce_count: 0 });
  });
}

/**
 * Records a failed attempt: back to `pending` until `retryAt`, or `failed` when `final` (a permanent
 * failure or the last attempt). Only the worker holding the claim may do this (a re-claimed or sent
 * row is left alone: null).
 */
export async function markAttemptFailed(
  q: Knex,
  d: Pick<DeliveryRow, 'id' | 'claimed_at'>,
  opts: { error: string; retryAt: Date; now: Date; final: boolean },
): Promise<DeliveryStatus | null> {
  const [row] = await q('report_deliveries')
    .where({ id: d.id, status: 'sending', claimed_at: d.claimed_at })
    .update({
      status: opts.final ? 'failed' : 'pending',
      failed_at: opts.final ? opts.now : null,
      next_attempt_at: opts.retryAt,
      last_error: opts.error,
      locked_until: null,
    })
    .returning('status');
  return (row?.status as DeliveryStatus | undefined) ?? null;
}

/** The subscription was switched off after the row was queued: nothing is sent. */
export async function markCancelled(q: Knex, id: string, reason: string): Promise<void> {
  await q('report_deliveries')
    .where({ id, status: 'sending' })
    .update({ status: 'cancelled', locked_until: null, last_error: reason });
}

/** Gives claimed rows back untouched (the worker is stopping before it started them). */
export async function releaseClaims(q: Knex, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await q('report_deliveries')
    .whereIn('id', ids)
    .andWhere('status', 'sending')
    .update({ status: 'pending', attempts: q.raw('GREATEST(attempts - 1, 0)'), locked_until: null });
}

/** The subscription's last report sent that was due before `before`: its frequency and send time. */
export async function lastSentReport(q: Knex, subscriptionId: string, before: Date): Promise<LastReport | null> {
  const row: Pick<DeliveryRow, 'frequency' | 'scheduled_at'> | undefined = await q('report_deliveries')
    .where({ subscription_id: subscriptionId, status: 'sent' })
    .andWhere('scheduled_at', '<', before)
    .orderBy('scheduled_at', 'desc')
    .first('frequency', 'scheduled_at');
  return row ? { frequency: row.frequency, sendAt: new Date(row.scheduled_at) } : null;
}

import type { Knex } from 'knex';
import type { Frequency } from '../domain/report-period.js';

export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'cancelled';

export type DeliveryRow = {
  id: string;
  subscription_id: string;
  frequency: Frequency;
  period_key: string;
  scheduled_at: Date;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date;
  claimed_at: Date | null;
  locked_until: Date | null;
  last_error: string | null;
  message_id: string;
  sent_at: Date | null;
  created_at: Date;
};

/** A subscription that has no delivery row for a period yet. */
export type DueSubscription = { subscription_id: string; analysis_id: string; company_name: string | null };

/** One period's reports in one time zone: what the due queries select. */
export type DueSlot = {
  frequency: Frequency;
  periodKey: string;
  /** The period's send time (09:00 local): only subscriptions confirmed by then get its report. */
  sendAt: Date;
  timeZone: string;
  /** The zone of analyses that name none (REPORT_TIME_ZONE). */
  defaultTimeZone: string;
};

// Active subscriptions of this frequency on a complete analysis in this time zone, confirmed at or
// before the period's send time, with no row for the period.
const DUE = `
  FROM email_subscriptions s
  JOIN analyses a ON a.id = s.analysis_id AND a.status = 'COMPLETE'
  WHERE s.active AND s.frequency = :frequency
    AND s.confirmed_at <= :sendAt
    AND COALESCE(a.time_zone, :defaultTimeZone) = :timeZone
    AND NOT EXISTS (SELECT 1 FROM report_deliveries d WHERE d.subscription_id = s.id AND d.period_key = :periodKey)`;

const dueBindings = (slot: DueSlot) => ({
  frequency: slot.frequency, periodKey: slot.periodKey, sendAt: slot.sendAt, timeZone: slot.timeZone, defaultTimeZone: slot.defaultTimeZone,
});

/** The time zones of the confirmed, active subscriptions of a frequency. */
export async function subscriberTimeZones(q: Knex, frequency: Frequency, defaultTimeZone: string): Promise<string[]> {
  const { rows } = await q.raw(
    `SELECT DISTINCT COALESCE(a.time_zone, :defaultTimeZone) AS time_zone
     FROM email_subscriptions s JOIN analyses a ON a.id = s.analysis_id
     WHERE s.active AND s.confirmed_at IS NOT NULL AND s.frequency = :frequency
     ORDER BY 1`,
    { frequency, defaultTimeZone },
  );
  return (rows as { time_zone: string }[]).map((r) => r.time_zone);
}

/** Subscriptions that the next enqueue for this slot would pick up. */
export async function listDueSubscriptions(q: Knex, slot: DueSlot): Promise<DueSubscription[]> {
  const { rows } = await q.raw(
    `SELECT s.id AS subscription_id, s.analysis_id, a.results_summary->'identity_a1'->>'company_name' AS company_name ${DUE} ORDER BY s.created_at, s.id`,
    dueBindings(slot),
  );
  return rows as DueSubscription[];
}

/**
 * Inserts one pending row per due subscription, scheduled at the slot's send time; the unique
 * (subscription_id, period_key) key makes a repeat, or a concurrent enqueue, insert nothing.
 * Returns the number of rows created.
 */
export async function insertDueDeliveries(q: Knex, slot: DueSlot, now: Date): Promise<number> {
  const { rows } = await q.raw(
    `INSERT INTO report_deliveries (subscription_id, frequency, period_key, scheduled_at, next_attempt_at)
     SELECT s.id, s.frequency, :periodKey, :sendAt, :now ${DUE}
     ON CONFLICT (subscription_id, period_key) DO NOTHING
     RETURNING id`,
    { ...dueBindings(slot), now },
  );
  return rows.length;
}

/**
 * Claims up to `limit` rows that are due (pending and past their backoff) or whose lease expired
 * (a worker died while sending). One statement, so the claim is its own short transaction:
 * claimed rows become `sending` with a lease and their attempt is counted.
 */
export async function claimDeliveries(q: Knex, opts: { now: Date; leaseUntil: Date; limit: number; maxAttempts: number }): Promise<DeliveryRow[]> {
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
    .update({ status: 'failed', locked_until: null, last_error: 'the worker stopped during the last attempt (lease expired)' });
}

/** Marks a delivery sent and stamps the subscription's last_sent_at, atomically. */
export async function markSent(q: Knex, d: Pick<DeliveryRow, 'id' | 'subscription_id'>, now: Date): Promise<void> {
  await q.transaction(async (trx) => {
    await trx('report_deliveries').where({ id: d.id }).update({ status: 'sent', sent_at: now, locked_until: null, last_error: null });
    await trx('email_subscriptions').where({ id: d.subscription_id }).update({ last_sent_at: now });
  });
}

/**
 * Records a failed attempt: back to `pending` until `retryAt`, or `failed` after the last attempt.
 * Only the worker holding the claim may do this (a re-claimed or sent row is left alone).
 */
export async function markAttemptFailed(
  q: Knex,
  d: Pick<DeliveryRow, 'id' | 'claimed_at'>,
  opts: { error: string; retryAt: Date; maxAttempts: number },
): Promise<DeliveryStatus | null> {
  const [row] = await q('report_deliveries')
    .where({ id: d.id, status: 'sending', claimed_at: d.claimed_at })
    .update({
      status: q.raw("CASE WHEN attempts >= ? THEN 'failed' ELSE 'pending' END", [opts.maxAttempts]),
      next_attempt_at: opts.retryAt,
      last_error: opts.error,
      locked_until: null,
    })
    .returning('status');
  return (row?.status as DeliveryStatus | undefined) ?? null;
}

/** The subscription was switched off after the row was queued: nothing is sent. */
export async function markCancelled(q: Knex, id: string, reason: string): Promise<void> {
  await q('report_deliveries').where({ id, status: 'sending' }).update({ status: 'cancelled', locked_until: null, last_error: reason });
}

/** Gives claimed rows back untouched (the worker is stopping before it started them). */
export async function releaseClaims(q: Knex, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await q('report_deliveries')
    .whereIn('id', ids)
    .andWhere('status', 'sending')
    .update({ status: 'pending', attempts: q.raw('GREATEST(attempts - 1, 0)'), locked_until: null });
}

/** Pending rows that a drain would pick up now, for dry runs. */
export async function listClaimable(q: Knex, now: Date): Promise<(DeliveryRow & { analysis_id: string })[]> {
  return q('report_deliveries as d')
    .join('email_subscriptions as s', 's.id', 'd.subscription_id')
    .where((w) => w.where('d.status', 'pending').andWhere('d.next_attempt_at', '<=', now))
    .orWhere((w) => w.where('d.status', 'sending').andWhere('d.locked_until', '<=', now))
    .orderBy('d.next_attempt_at')
    .select('d.*', 's.analysis_id');
}

/** Row counts per status, optionally for one period. */
export async function countByStatus(q: Knex, periodKey?: string): Promise<Record<DeliveryStatus, number>> {
  const rows: { status: DeliveryStatus; n: number }[] = await q('report_deliveries')
    .modify((b) => {
      if (periodKey) b.where({ period_key: periodKey });
    })
    .groupBy('status')
    .select('status', q.raw('count(*)::int AS n'));
  const out: Record<DeliveryStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0, cancelled: 0 };
  for (const r of rows) out[r.status] = Number(r.n);
  return out;
}

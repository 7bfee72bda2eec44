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
  failed_at: Date | null;
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
  frequency: slot.frequency,
  periodKey: slot.periodKey,
  sendAt: slot.sendAt,
  timeZone: slot.timeZone,
  defaultTimeZone: slot.defaultTimeZone,
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

/**
 * Counts a hard bounce on a subscription and suspends it (switched off, `suspended_at` set) once
 * it reaches `suspendAfter`. Returns the new count and whether it is suspended now.
 */
export async function recordHardBounce(
  q: Knex,
  subscriptionId: string,
  opts: { now: Date; suspendAfter: number },
): Promise<{ bounce_count: number; suspended: boolean }> {
  const [row] = await q('email_subscriptions')
    .where({ id: subscriptionId })
    .update({
      bounce_count: q.raw('bounce_count + 1'),
      active: q.raw('CASE WHEN bounce_count + 1 >= ? THEN FALSE ELSE active END', [opts.suspendAfter]),
      suspended_at: q.raw(
        'CASE WHEN bounce_count + 1 >= ? THEN COALESCE(suspended_at, ?::timestamptz) ELSE suspended_at END',
        [opts.suspendAfter, opts.now],
      ),
    })
    .returning(['bounce_count', 'suspended_at']);
  return { bounce_count: Number(row?.bounce_count ?? 0), suspended: Boolean(row?.suspended_at) };
}

/** A failed delivery an operator may retry, with what the console shows of it. */
export type FailedDelivery = {
  id: string;
  subscription_id: string;
  analysis_id: string;
  company_name: string | null;
  email: string;
  frequency: Frequency;
  period_key: string;
  attempts: number;
  last_error: string | null;
  failed_at: Date | null;
  subscription_state: 'active' | 'suspended' | 'unsubscribed';
};

const FAILED_COLUMNS = [
  'd.id',
  'd.subscription_id',
  's.analysis_id',
  's.email',
  'd.frequency',
  'd.period_key',
  'd.attempts',
  'd.last_error',
  'd.failed_at',
];

/** Failed deliveries, newest failure first; one delivery, one period, or all. */
export async function listFailedDeliveries(
  q: Knex,
  opts: { id?: string | undefined; periodKey?: string | undefined; limit?: number },
): Promise<FailedDelivery[]> {
  const query = q('report_deliveries as d')
    .join('email_subscriptions as s', 's.id', 'd.subscription_id')
    .join('analyses as a', 'a.id', 's.analysis_id')
    .where('d.status', 'failed')
    .select(FAILED_COLUMNS)
    .select(q.raw("a.results_summary->'identity_a1'->>'company_name' AS company_name"))
    .select(
      q.raw(
        "CASE WHEN s.suspended_at IS NOT NULL THEN 'suspended' WHEN s.active THEN 'active' ELSE 'unsubscribed' END AS subscription_state",
      ),
    )
    .orderBy([{ column: 'd.failed_at', order: 'desc', nulls: 'last' }, { column: 'd.id' }]);
  if (opts.id) query.where('d.id', opts.id);
  if (opts.periodKey) query.where('d.period_key', opts.periodKey);
  if (opts.limit) query.limit(opts.limit);
  return query;
}

/**
 * Puts failed deliveries back in the queue as they were: same row, so the same period and
 * Message-ID, with the attempts reset and due now. Only rows still `failed` move.
 */
export async function requeueFailed(q: Knex, ids: readonly string[], now: Date): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows: { id: string }[] = await q('report_deliveries')
    .whereIn('id', ids)
    .andWhere('status', 'failed')
    .update({
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      failed_at: null,
      claimed_at: null,
      locked_until: null,
    })
    .returning('id');
  return rows.map((r) => r.id);
}

/** Deliveries waiting for another attempt after a failure, soonest first. */
export async function listRetrying(
  q: Knex,
  limit: number,
): Promise<
  {
    id: string;
    period_key: string;
    attempts: number;
    last_error: string | null;
    next_attempt_at: Date;
    company_name: string | null;
  }[]
> {
  return q('report_deliveries as d')
    .join('email_subscriptions as s', 's.id', 'd.subscription_id')
    .join('analyses as a', 'a.id', 's.analysis_id')
    .where('d.status', 'pending')
    .andWhere('d.attempts', '>', 0)
    .orderBy('d.next_attempt_at')
    .limit(limit)
    .select('d.id', 'd.period_key', 'd.attempts', 'd.last_error', 'd.next_attempt_at')
    .select(q.raw("a.results_summary->'identity_a1'->>'company_name' AS company_name"));
}

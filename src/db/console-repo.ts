import type { Knex } from 'knex';
import type { Frequency } from '../domain/report-period.js';

/** A delivery that used up its attempts, as the support console lists it. */
export type QueueFailure = { id: string; period_key: string; attempts: number; last_error: string | null; at: Date };

/** Pending deliveries whose time has come (waiting for a worker). */
export async function countDueDeliveries(q: Knex, now: Date): Promise<number> {
  const row = await q('report_deliveries')
    .where('status', 'pending')
    .andWhere('next_attempt_at', '<=', now)
    .count<{ n: string | number }[]>('* as n')
    .first();
  return Number(row?.n ?? 0);
}

/** Confirmed active subscriptions per frequency, those awaiting confirmation (double opt-in), and the inactive ones. */
export async function countSubscriptions(
  q: Knex,
): Promise<Record<Frequency, number> & { awaiting_confirmation: number; inactive: number }> {
  const rows: { frequency: Frequency; active: boolean; confirmed: boolean; n: string | number }[] = await q(
    'email_subscriptions',
  )
    .select('frequency', 'active', q.raw('confirmed_at IS NOT NULL AS confirmed'))
    .count('* as n')
    .groupBy('frequency', 'active', q.raw('confirmed_at IS NOT NULL'));
  const out = { weekly: 0, monthly: 0, awaiting_confirmation: 0, inactive: 0 };
  for (const r of rows) {
    if (!r.active) out.inactive += Number(r.n);
    else if (r.confirmed) out[r.frequency] += Number(r.n);
    else out.awaiting_confirmation += Number(r.n);
  }
  return out;
}

/** The most recent failed deliveries, newest first. */
export async function listRecentFailures(q: Knex, limit: number): Promise<QueueFailure[]> {
  return q('report_deliveries')
    .where('status', 'failed')
    .orderBy('next_attempt_at', 'desc')
    .limit(limit)
    .select('id', 'period_key', 'attempts', 'last_error', 'next_attempt_at as at');
}

import type { Knex } from 'knex';
import type { DeliveryStatus } from './delivery-repo.js';
import type { Frequency } from '../domain/report-period.js';
import type { SubscriptionStatus } from '../domain/consent.js';

const COMPANY = "a.results_summary->'identity_a1'->>'company_name' AS company_name";

/** A subscription as support staff find it: who, which analysis, and its state's inputs. */
export type SubscriptionListRow = {
  id: string;
  analysis_id: string;
  email: string;
  company_name: string | null;
  frequency: Frequency;
  time_zone: string | null;
  active: boolean;
  confirmed_at: Date | null;
  suspended_at: Date | null;
  bounce_count: number;
  created_at: Date;
};

export type SubscriptionFilter = {
  /** Substring of the email, the company name, the analysis id or the subscription id. */
  text?: string | undefined;
  email?: string | undefined;
  analysisId?: string | undefined;
  status?: SubscriptionStatus | undefined;
  limit: number;
};

/** `%text%` for ILIKE, with the pattern characters taken literally. */
const contains = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const STATUS_WHERE: Record<SubscriptionStatus, string> = {
  active: 's.active AND s.confirmed_at IS NOT NULL AND s.suspended_at IS NULL',
  pending: 's.active AND s.confirmed_at IS NULL AND s.suspended_at IS NULL',
  suspended: 's.suspended_at IS NOT NULL',
  unsubscribed: 'NOT s.active AND s.suspended_at IS NULL',
};

const SUBSCRIPTION_COLUMNS = [
  's.id',
  's.analysis_id',
  's.email',
  'a.time_zone',
  's.frequency',
  's.active',
  's.confirmed_at',
  's.suspended_at',
  's.bounce_count',
  's.created_at',
];

/** Subscriptions matching a filter, newest first. */
export async function searchSubscriptions(q: Knex, f: SubscriptionFilter): Promise<SubscriptionListRow[]> {
  const query = q('email_subscriptions as s')
    .join('analyses as a', 'a.id', 's.analysis_id')
    .select(SUBSCRIPTION_COLUMNS)
    .select(q.raw(COMPANY))
    .orderBy([{ column: 's.created_at', order: 'desc' }, { column: 's.id' }])
    .limit(f.limit);
  if (f.text) {
    const like = contains(f.text);
    query.where((w) =>
      w
        .whereILike('s.email', like)
        .orWhereRaw("a.results_summary->'identity_a1'->>'company_name' ILIKE ?", [like])
        .orWhereRaw('s.id::text ILIKE ?', [like])
        .orWhereRaw('s.analysis_id::text ILIKE ?', [like]),
    );
  }
  if (f.email) query.whereILike('s.email', contains(f.email));
  if (f.analysisId) query.where('s.analysis_id', f.analysisId);
  if (f.status) query.whereRaw(STATUS_WHERE[f.status]);
  const rows: SubscriptionListRow[] = await query;
  return rows.map((r) => ({ ...r, bounce_count: Number(r.bounce_count) }));
}

/** One subscription with its analysis's company and time zone. */
export async function findSubscriptionWithAnalysis(q: Knex, id: string): Promise<SubscriptionListRow | null> {
  const row = (await q('email_subscriptions as s')
    .join('analyses as a', 'a.id', 's.analysis_id')
    .where('s.id', id)
    .select(SUBSCRIPTION_COLUMNS)
    .select(q.raw(COMPANY))
    .first()) as SubscriptionListRow | undefined;
  return row ? { ...row, bounce_count: Number(row.bounce_count) } : null;
}

/** A report delivery as support staff see it. */
export type DeliveryListRow = {
  id: string;
  subscription_id: string;
  analysis_id: string;
  email: string;
  company_name: string | null;
  period_key: string;
  status: DeliveryStatus;
  attempts: number;
  last_error: string | null;
  next_attempt_at: Date;
  sent_at: Date | null;
  failed_at: Date | null;
  created_at: Date;
};

export type DeliveryFilter = {
  subscriptionId?: string | undefined;
  status?: DeliveryStatus | undefined;
  periodKey?: string | undefined;
  email?: string | undefined;
  limit: number;
};

/** Report deliveries matching a filter, newest period first. */
export async function searchDeliveries(q: Knex, f: DeliveryFilter): Promise<DeliveryListRow[]> {
  const query = q('report_deliveries as d')
    .join('email_subscriptions as s', 's.id', 'd.subscription_id')
    .join('analyses as a', 'a.id', 's.analysis_id')
    .select(
      'd.id',
      'd.subscription_id',
      's.analysis_id',
      's.email',
      'd.period_key',
      'd.status',
      'd.attempts',
      'd.last_error',
      'd.next_attempt_at',
      'd.sent_at',
      'd.failed_at',
      'd.created_at',
    )
    .select(q.raw(COMPANY))
    .orderBy([
      { column: 'd.scheduled_at', order: 'desc' },
      { column: 'd.created_at', order: 'desc' },
      { column: 'd.id' },
    ])
    .limit(f.limit);
  if (f.subscriptionId) query.where('d.subscription_id', f.subscriptionId);
  if (f.status) query.where('d.status', f.status);
  if (f.periodKey) query.where('d.period_key', f.periodKey);
  if (f.email) query.whereILike('s.email', contains(f.email));
  const rows: DeliveryListRow[] = await query;
  return rows.map((r) => ({ ...r, attempts: Number(r.attempts) }));
}

/** Queues a pending subscription's confirmation email again, due now; null when it is not pending. */
export async function requeueConfirmation(q: Knex, id: string, now: Date): Promise<boolean> {
  const n = await q('email_subscriptions')
    .where({ id, active: true })
    .whereNull('confirmed_at')
    .whereNull('suspended_at')
    .update({ confirmation_due_at: now, confirmation_attempts: 0 });
  return n > 0;
}

import type { Knex } from 'knex';

/** One recent event for the console: a progress update or a badge awarded. */
export type ActivityItem = {
  kind: 'progress' | 'badge';
  analysis_id: string;
  company_name: string | null;
  what: string;
  at: Date;
};

const COMPANY = "a.results_summary->'identity_a1'->>'company_name' AS company_name";

/** Progress updates and badges awarded since `since`: counts, and the latest few of both. */
export async function recentActivity(
  q: Knex,
  since: Date,
  limit: number,
): Promise<{ progress_updates: number; badges_awarded: number; latest: ActivityItem[] }> {
  const [progress, badges, latestProgress, latestBadges] = await Promise.all([
    q('progress_events').where('occurred_at', '>=', since).count<{ n: string | number }[]>('* as n').first(),
    q('user_badges').where('earned_at', '>=', since).count<{ n: string | number }[]>('* as n').first(),
    q('progress_events as e')
      .join('analyses as a', 'a.id', 'e.analysis_id')
      .where('e.occurred_at', '>=', since)
      .orderBy('e.occurred_at', 'desc')
      .limit(limit)
      .select(
        'e.analysis_id',
        q.raw(COMPANY),
        q.raw("e.opportunity_id || ' → ' || e.to_status AS what"),
        'e.occurred_at as at',
      ),
    q('user_badges as b')
      .join('analyses as a', 'a.id', 'b.analysis_id')
      .where('b.earned_at', '>=', since)
      .orderBy('b.earned_at', 'desc')
      .limit(limit)
      .select('b.analysis_id', q.raw(COMPANY), 'b.badge_name as what', 'b.earned_at as at'),
  ]);
  const latest: ActivityItem[] = [
    ...latestProgress.map((r: Omit<ActivityItem, 'kind'>) => ({ ...r, kind: 'progress' as const })),
    ...latestBadges.map((r: Omit<ActivityItem, 'kind'>) => ({ ...r, kind: 'badge' as const })),
  ]
    .sort((x, y) => new Date(y.at).getTime() - new Date(x.at).getTime())
    .slice(0, limit);
  return { progress_updates: Number(progress?.n ?? 0), badges_awarded: Number(badges?.n ?? 0), latest };
}

/** Subscriptions suspended after hard bounces, newest first, with their total. */
export async function suspendedSubscriptions(
  q: Knex,
  limit: number,
): Promise<{
  total: number;
  rows: {
    subscription_id: string;
    email: string;
    company_name: string | null;
    bounce_count: number;
    suspended_at: Date;
  }[];
}> {
  const [count, rows] = await Promise.all([
    q('email_subscriptions').whereNotNull('suspended_at').count<{ n: string | number }[]>('* as n').first(),
    q('email_subscriptions as s')
      .join('analyses as a', 'a.id', 's.analysis_id')
      .whereNotNull('s.suspended_at')
      .orderBy('s.suspended_at', 'desc')
      .limit(limit)
      .select('s.id as subscription_id', 's.email', q.raw(COMPANY), 's.bounce_count', 's.suspended_at'),
  ]);
  return { total: Number(count?.n ?? 0), rows };
}

import type { Knex } from 'knex';
import type { Status } from '../domain/progress.js';

export type ProgressRow = {
  opportunity_id: string;
  status: Status;
  implemented_at: Date | null;
  updated_at: Date | null;
};

export async function listProgress(q: Knex, analysisId: string): Promise<ProgressRow[]> {
  return q('user_progress')
    .select('opportunity_id', 'status', 'implemented_at', 'updated_at')
    .where({ analysis_id: analysisId });
}

/**
 * A real status change in one round trip: writes the opportunity's status (`implemented_at` set
 * when it becomes IMPLEMENTED) and appends the change to the activity log.
 */
export async function recordProgressChange(
  q: Knex,
  c: { analysisId: string; opportunityId: string; category: string; from: Status; to: Status; at: Date },
): Promise<ProgressRow> {
  const implementedAt = c.to === 'IMPLEMENTED' ? c.at : null;
  const { rows } = await q.raw(
    `WITH up AS (
       INSERT INTO user_progress (analysis_id, opportunity_id, opportunity_category, status, implemented_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (analysis_id, opportunity_id) DO UPDATE SET status = EXCLUDED.status, implemented_at = EXCLUDED.implemented_at
       RETURNING opportunity_id, status, implemented_at, updated_at
     ), ev AS (
       INSERT INTO progress_events (analysis_id, opportunity_id, from_status, to_status, occurred_at) VALUES (?, ?, ?, ?, ?)
     )
     SELECT * FROM up`,
    [
      c.analysisId,
      c.opportunityId,
      c.category,
      c.to,
      implementedAt,
      c.at,
      c.analysisId,
      c.opportunityId,
      c.from,
      c.to,
      c.at,
    ],
  );
  return rows[0] as ProgressRow;
}

/** When each status change of an analysis happened, oldest first. */
export async function activityTimes(q: Knex, analysisId: string): Promise<Date[]> {
  const rows: { occurred_at: Date }[] = await q('progress_events')
    .select('occurred_at')
    .where({ analysis_id: analysisId })
    .orderBy('occurred_at');
  return rows.map((r) => new Date(r.occurred_at));
}

/** Progress rows of several analyses, by analysis. */
export async function listProgressOf(q: Knex, analysisIds: readonly string[]): Promise<Map<string, ProgressRow[]>> {
  const rows: (ProgressRow & { analysis_id: string })[] = await q('user_progress')
    .select('analysis_id', 'opportunity_id', 'status', 'implemented_at', 'updated_at')
    .whereIn('analysis_id', analysisIds);
  const out = new Map<string, ProgressRow[]>();
  for (const { analysis_id, ...r } of rows) out.set(analysis_id, [...(out.get(analysis_id) ?? []), r]);
  return out;
}

/** Activity times of several analyses, oldest first, by analysis. */
export async function activityTimesOf(q: Knex, analysisIds: readonly string[]): Promise<Map<string, Date[]>> {
  const rows: { analysis_id: string; occurred_at: Date }[] = await q('progress_events')
    .select('analysis_id', 'occurred_at')
    .whereIn('analysis_id', analysisIds)
    .orderBy('occurred_at');
  const out = new Map<string, Date[]>();
  for (const r of rows) out.set(r.analysis_id, [...(out.get(r.analysis_id) ?? []), new Date(r.occurred_at)]);
  return out;
}

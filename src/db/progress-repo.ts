import type { Knex } from 'knex';
import type { Status } from '../domain/progress.js';

export type ProgressRow = { opportunity_id: string; status: Status; implemented_at: Date | null; updated_at: Date | null };

export async function listProgress(q: Knex, analysisId: string): Promise<ProgressRow[]> {
  return q('user_progress')
    .select('opportunity_id', 'status', 'implemented_at', 'updated_at')
    .where({ analysis_id: analysisId });
}

/** Writes an opportunity's status; `implemented_at` is set when it becomes IMPLEMENTED. */
export async function upsertProgress(
  q: Knex,
  p: { analysisId: string; opportunityId: string; category: string; status: Status; at: Date },
): Promise<ProgressRow> {
  const [row] = await q('user_progress')
    .insert({
      analysis_id: p.analysisId,
      opportunity_id: p.opportunityId,
      opportunity_category: p.category,
      status: p.status,
      implemented_at: p.status === 'IMPLEMENTED' ? p.at : null,
      created_at: p.at,
    })
    .onConflict(['analysis_id', 'opportunity_id'])
    .merge({ status: p.status, implemented_at: p.status === 'IMPLEMENTED' ? p.at : null })
    .returning(['opportunity_id', 'status', 'implemented_at', 'updated_at']);
  return row;
}

/** Appends one real status change to the activity log. */
export async function recordProgressEvent(
  q: Knex,
  e: { analysisId: string; opportunityId: string; from: Status; to: Status; at: Date },
): Promise<void> {
  await q('progress_events').insert({
    analysis_id: e.analysisId,
    opportunity_id: e.opportunityId,
    from_status: e.from,
    to_status: e.to,
    occurred_at: e.at,
  });
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

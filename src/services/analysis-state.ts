import type { Knex } from 'knex';
import { findAnalysis, findAnalysisWithProgress, type AnalysisRow } from '../db/analysis-repo.js';
import { listProgress, type ProgressRow } from '../db/progress-repo.js';
import type { EarnedBadge } from '../domain/badges.js';
import { opportunitiesOf } from '../domain/results-summary.js';
import type { OpportunityProgress } from '../domain/progress.js';
import { NotFoundError } from '../errors.js';

const analysisNotFound = (id: string) => new NotFoundError(`Analysis with ID ${id} not found`);

export type AnalysisState = { analysis: AnalysisRow; items: OpportunityProgress[] };

/**
 * Loads an analysis with each opportunity's status (NOT_STARTED when never touched): one query
 * for a read (with the earned badges too when asked); for an update, the row lock first and then
 * the progress, read after the lock is held.
 */
export async function loadAnalysisState(q: Knex, analysisId: string, opts: { forUpdate?: boolean } = {}): Promise<AnalysisState> {
  const found = opts.forUpdate ? await lockedAnalysisWithProgress(q, analysisId) : await findAnalysisWithProgress(q, analysisId);
  if (!found) throw analysisNotFound(analysisId);
  return stateOf(found.analysis, found.progress);
}

/** The analysis, its opportunities with status and its earned badges, in one query. */
export async function loadAnalysisWithBadges(q: Knex, analysisId: string): Promise<AnalysisState & { badges: EarnedBadge[] }> {
  const found = await findAnalysisWithProgress(q, analysisId, { badges: true });
  if (!found) throw analysisNotFound(analysisId);
  return { ...stateOf(found.analysis, found.progress), badges: found.badges };
}

function stateOf(analysis: AnalysisRow, rows: readonly ProgressRow[]): AnalysisState {
  const progress = new Map(rows.map((p) => [p.opportunity_id, p]));
  const items = opportunitiesOf(analysis.results_summary).map((o) => {
    const p = progress.get(o.opportunity_id);
    return { ...o, status: p?.status ?? 'NOT_STARTED', implemented_at: p?.implemented_at ?? null };
  });
  return { analysis, items };
}

async function lockedAnalysisWithProgress(q: Knex, analysisId: string) {
  const analysis = await findAnalysis(q, analysisId, { forUpdate: true });
  return analysis && { analysis, progress: await listProgress(q, analysisId), badges: [] };
}

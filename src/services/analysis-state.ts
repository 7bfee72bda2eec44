import type { Knex } from 'knex';
import { findAnalysis, findAnalysisWithProgress, type AnalysisRow } from '../db/analysis-repo.js';
import { listProgress, type ProgressRow } from '../db/progress-repo.js';
import type { EarnedBadge } from '../domain/badges.js';
import { opportunitiesOf } from '../domain/results-summary.js';
import type { OpportunityProgress } from '../domain/progress.js';
import { AnalysisNotFoundError } from '../errors.js';

export type AnalysisState = { analysis: AnalysisRow; items: OpportunityProgress[] };

/** The analysis, or the contract's 404 ("Analysis with ID … not found"); raised here only. */
export async function requireAnalysis(
  q: Knex,
  analysisId: string,
  opts: { forUpdate?: boolean } = {},
): Promise<AnalysisRow> {
  const analysis = await findAnalysis(q, analysisId, opts);
  if (!analysis) throw new AnalysisNotFoundError(analysisId);
  return analysis;
}

/**
 * Loads an analysis with each opportunity's status (NOT_STARTED when never touched): one query
 * for a read (with the earned badges too when asked); for an update, the row lock first and then
 * the progress, read after the lock is held.
 */
export async function loadAnalysisState(
  q: Knex,
  analysisId: string,
  opts: { forUpdate?: boolean } = {},
): Promise<AnalysisState> {
  const found = opts.forUpdate
    ? await lockedAnalysisWithProgress(q, analysisId)
    : await findAnalysisWithProgress(q, analysisId);
  if (!found) throw new AnalysisNotFoundError(analysisId);
  return stateOf(found.analysis, found.progress);
}

/** The analysis, its opportunities with status and its earned badges, in one query. */
export async function loadAnalysisWithBadges(
  q: Knex,
  analysisId: string,
): Promise<AnalysisState & { badges: EarnedBadge[] }> {
  const found = await findAnalysisWithProgress(q, analysisId, { badges: true });
  if (!found) throw new AnalysisNotFoundError(analysisId);
  return { ...stateOf(found.analysis, found.progress), badges: found.badges };
}

/** An analysis with each opportunity's status, from its progress rows. */
export function stateOf(analysis: AnalysisRow, rows: readonly ProgressRow[]): AnalysisState {
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

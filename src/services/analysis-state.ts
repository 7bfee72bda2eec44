import type { Knex } from 'knex';
import { findAnalysis, type AnalysisRow } from '../db/analysis-repo.js';
import { listProgress } from '../db/progress-repo.js';
import { opportunitiesOf } from '../domain/results-summary.js';
import type { OpportunityProgress } from '../domain/progress.js';
import { AnalysisNotFoundError } from '../errors.js';

export type AnalysisState = { analysis: AnalysisRow; items: OpportunityProgress[] };

/** The analysis, or the contract's 404 ("Analysis with ID … not found"); raised here only. */
export async function requireAnalysis(q: Knex, analysisId: string, opts: { forUpdate?: boolean } = {}): Promise<AnalysisRow> {
  const analysis = await findAnalysis(q, analysisId, opts);
  if (!analysis) throw new AnalysisNotFoundError(analysisId);
  return analysis;
}

/** Loads an analysis with each opportunity's status (NOT_STARTED when never touched). */
export async function loadAnalysisState(q: Knex, analysisId: string, opts: { forUpdate?: boolean } = {}): Promise<AnalysisState> {
  const analysis = await requireAnalysis(q, analysisId, opts);
  const progress = new Map((await listProgress(q, analysisId)).map((p) => [p.opportunity_id, p]));
  const items = opportunitiesOf(analysis.results_summary).map((o) => {
    const p = progress.get(o.opportunity_id);
    return { ...o, status: p?.status ?? 'NOT_STARTED', implemented_at: p?.implemented_at ?? null };
  });
  return { analysis, items };
}

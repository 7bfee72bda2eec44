import type { Knex } from 'knex';
import { findAnalysis, type AnalysisRow } from '../db/analysis-repo.js';
import { listProgress, type ProgressRow } from '../db/progress-repo.js';
import { opportunitiesOf } from '../domain/results-summary.js';
import type { OpportunityProgress } from '../domain/progress.js';
import { NotFoundError } from '../errors.js';

export type AnalysisState = { analysis: AnalysisRow; items: OpportunityProgress[] };

/** Loads an analysis with each opportunity's status (NOT_STARTED when never touched). */
export async function loadAnalysisState(q: Knex, analysisId: string, opts: { forUpdate?: boolean } = {}): Promise<AnalysisState> {
  const analysis = await findAnalysis(q, analysisId, opts);
  if (!analysis) throw new NotFoundError(`Analysis with ID ${analysisId} not found`);
  return stateOf(analysis, await listProgress(q, analysisId));
}

/** An analysis with each opportunity's status, from its progress rows. */
export function stateOf(analysis: AnalysisRow, progressRows: readonly ProgressRow[]): AnalysisState {
  const progress = new Map(progressRows.map((p) => [p.opportunity_id, p]));
  const items = opportunitiesOf(analysis.results_summary).map((o) => {
    const p = progress.get(o.opportunity_id);
    return { ...o, status: p?.status ?? 'NOT_STARTED', implemented_at: p?.implemented_at ?? null };
  });
  return { analysis, items };
}

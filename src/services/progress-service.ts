import { setHourlyRate } from '../db/analysis-repo.js';
import { recordProgressChange } from '../db/progress-repo.js';
import type { EarnedBadge } from '../db/badge-repo.js';
import { computeMetrics, type Metrics } from '../domain/metrics.js';
import { classifyTransition, type Status } from '../domain/progress.js';
import { InvalidTransitionError, OpportunityNotFoundError } from '../errors.js';
import { loadAnalysisState } from './analysis-state.js';
import type { BadgeService } from './badge-service.js';
import type { ServiceDeps } from './deps.js';

export type ProgressUpdate = { opportunity_id: string; status: Status; hourly_rate?: number | undefined };

export type ProgressResult = {
  analysis_id: string;
  opportunity_id: string;
  status: Status;
  changed: boolean;
  implemented_at: Date | null;
  new_badges: EarnedBadge[];
  metrics: Metrics;
};

/** Moves an opportunity through its statuses and awards the badges that follow. */
export class ProgressService {
  constructor(private readonly deps: ServiceDeps & { badges: BadgeService }) {}

  /**
   * One transaction: lock the analysis row (so concurrent updates of one analysis run one
   * after another), check the transition, write the status and the activity event, award badges;
   * the cache invalidation is recorded in it and applied before returning.
   */
  async updateProgress(analysisId: string, update: ProgressUpdate): Promise<ProgressResult> {
    return this.deps.cache.invalidatingTransaction(this.deps.db, async (trx, invalidate) => {
      const now = this.deps.clock.now();
      const state = await loadAnalysisState(trx, analysisId, { forUpdate: true });
      const item = state.items.find((i) => i.opportunity_id === update.opportunity_id);
      if (!item) throw new OpportunityNotFoundError(update.opportunity_id);

      const kind = classifyTransition(item.status, update.status);
      if (kind === 'forbidden') throw new InvalidTransitionError(item.status, update.status);

      let hourlyRate = state.analysis.hourly_rate;
      if (update.hourly_rate !== undefined && update.hourly_rate !== hourlyRate) {
        await setHourlyRate(trx, analysisId, update.hourly_rate);
        hourlyRate = update.hourly_rate;
      }

      let newBadges: EarnedBadge[] = [];
      if (kind === 'allowed') {
        const row = await recordProgressChange(trx, {
          analysisId,
          opportunityId: item.opportunity_id,
          category: item.category,
          from: item.status,
          to: update.status,
          at: now,
        });
        item.status = row.status;
        item.implemented_at = row.implemented_at;
        newBadges = await this.deps.badges.awardBadges(trx, state, now);
      }
      const changed = kind === 'allowed' || hourlyRate !== state.analysis.hourly_rate;
      if (changed) invalidate(analysisId);
      return {
        analysis_id: analysisId,
        opportunity_id: item.opportunity_id,
        status: item.status,
        changed,
        implemented_at: item.implemented_at,
        new_badges: newBadges,
        metrics: computeMetrics(state.items, hourlyRate),
      };
    });
  }
}

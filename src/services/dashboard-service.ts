import { computeMetrics, type Metrics } from '../domain/metrics.js';
import { progressSummary, type OpportunityProgress, type ProgressSummary } from '../domain/progress.js';
import { recommend, type Recommendation } from '../domain/recommendations.js';
import type { Identity } from '../domain/results-summary.js';
import type { EarnedBadge } from '../db/badge-repo.js';
import { loadAnalysisState, loadAnalysisWithBadges } from './analysis-state.js';
import type { ServiceDeps } from './deps.js';
import { cachedJson, type CachedBody } from '../infra/cache/cached-body.js';

const DASHBOARD_TTL = 1800;

export type Dashboard = {
  analysis_id: string;
  url: string;
  status: 'PENDING' | 'COMPLETE';
  identity: Identity | null;
  opportunities: OpportunityProgress[];
  progress_summary: ProgressSummary;
  badges: EarnedBadge[];
  metrics: Metrics;
  /** The analysis's IANA time zone (the configured default when it named none). */
  time_zone: string;
  created_at: Date;
  completed_at: Date | null;
};

export type Recommendations = { analysis_id: string; recommendations: Recommendation[] };

/** The read side of the dashboard: everything the frontend shows for one analysis. */
export class DashboardService {
  constructor(private readonly deps: ServiceDeps & { defaultTimeZone: string }) {}

  /** The full dashboard as JSON bytes with their ETag, read through the cache. */
  async dashboard(analysisId: string): Promise<CachedBody> {
    return this.deps.cache.wrapAnalysis(analysisId, 'dashboard', DASHBOARD_TTL, async () =>
      cachedJson(await this.loadDashboard(analysisId)),
    );
  }

  async loadDashboard(analysisId: string): Promise<Dashboard> {
    const { analysis, items, badges } = await loadAnalysisWithBadges(this.deps.db, analysisId);
    return {
      analysis_id: analysis.id,
      url: analysis.url,
      status: analysis.status,
      identity: analysis.results_summary?.identity_a1 ?? null,
      opportunities: items,
      progress_summary: progressSummary(items),
      badges,
      metrics: computeMetrics(items, analysis.hourly_rate),
      time_zone: analysis.time_zone ?? this.deps.defaultTimeZone,
      created_at: analysis.created_at,
      completed_at: analysis.completed_at,
    };
  }

  /** Time and money saved, as JSON bytes with their ETag. */
  async metrics(analysisId: string): Promise<CachedBody> {
    return this.deps.cache.wrapAnalysis(analysisId, 'metrics', DASHBOARD_TTL, async () => {
      const { analysis, items } = await loadAnalysisState(this.deps.db, analysisId);
      return cachedJson(computeMetrics(items, analysis.hourly_rate) satisfies Metrics);
    });
  }

  /** NOT_STARTED opportunities, best first, as JSON bytes with their ETag. */
  async recommendations(analysisId: string): Promise<CachedBody> {
    return this.deps.cache.wrapAnalysis(analysisId, 'recommendations', DASHBOARD_TTL, async () => {
      const { items } = await loadAnalysisState(this.deps.db, analysisId);
      return cachedJson({ analysis_id: analysisId, recommendations: recommend(items) } satisfies Recommendations);
    });
  }
}

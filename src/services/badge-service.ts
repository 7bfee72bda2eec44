import type { Knex } from 'knex';
import {
  activeBadgeDefinitions,
  badgeAwardInputs,
  heldBadgeTypesOf,
  insertBadgeAwards,
  insertBadges,
  listEarnedBadges,
  type EarnedBadge,
} from '../db/badge-repo.js';
import { activityTimes, activityTimesOf, listProgressOf } from '../db/progress-repo.js';
import { countAnalyses, lockAnalysesAfter } from '../db/analysis-repo.js';
import {
  badgesToAward,
  evaluateCriteria,
  type AchievementProgress,
  type BadgeContext,
  type BadgeDefinition,
} from '../domain/badges.js';
import { requireUuid } from '../domain/ids.js';
import { loadAnalysisState, stateOf, type AnalysisState } from './analysis-state.js';
import type { ServiceDeps } from './deps.js';
import { cachedJson, type CachedBody } from '../infra/cache/cached-body.js';

const BADGES_TTL = 3600;

export type PendingBadge = {
  badge_type: string;
  badge_name: string;
  description: string;
  icon: string;
  points: number;
  progress: AchievementProgress;
};
export type BadgesOverview = {
  analysis_id: string;
  badges: EarnedBadge[];
  total_badges: number;
  total_points: number;
  in_progress: PendingBadge[];
};

/** Badge awarding and achievement progress, over the rules in `badge_definitions`. */
export class BadgeService {
  constructor(private readonly deps: ServiceDeps & { defaultTimeZone: string }) {}

  private async context(q: Knex, state: AnalysisState, now: Date): Promise<BadgeContext> {
    return {
      analysisCreatedAt: state.analysis.created_at,
      items: state.items,
      activity: await activityTimes(q, state.analysis.id),
      timeZone: state.analysis.time_zone ?? this.deps.defaultTimeZone,
      now,
    };
  }

  /**
   * Awards every badge whose rule now holds. Call it inside the transaction that changed the
   * progress, with the analysis row locked; the unique key makes a repeat award a no-op.
   */
  async awardBadges(trx: Knex, state: AnalysisState, now: Date): Promise<EarnedBadge[]> {
    const { definitions, held, activity } = await badgeAwardInputs(trx, state.analysis.id);
    const timeZone = state.analysis.time_zone ?? this.deps.defaultTimeZone;
    const due = badgesToAward(definitions, held, {
      analysisCreatedAt: state.analysis.created_at,
      items: state.items,
      activity,
      timeZone,
      now,
    });
    return insertBadges(trx, state.analysis.id, due, now);
  }

  /** Earned badges plus progress toward each one not yet earned, as JSON bytes with their ETag. */
  async badgesOverview(analysisId: string): Promise<CachedBody> {
    return this.deps.cache.wrapAnalysis(analysisId, 'badges', BADGES_TTL, async () =>
      cachedJson(await this.loadBadgesOverview(analysisId)),
    );
  }

  async loadBadgesOverview(analysisId: string): Promise<BadgesOverview> {
    const q = this.deps.db;
    const state = await loadAnalysisState(q, analysisId);
    const [definitions, badges, ctx] = await Promise.all([
      activeBadgeDefinitions(q),
      listEarnedBadges(q, analysisId),
      this.context(q, state, this.deps.clock.now()),
    ]);
    const held = new Set(badges.map((b) => b.badge_type));
    const in_progress = definitions
      .filter((d) => !held.has(d.type))
      .map((d) => ({
        badge_type: d.type,
        badge_name: d.name,
        description: d.description,
        icon: d.icon,
        points: d.points,
        progress: evaluateCriteria(d.criteria, ctx).progress,
      }));
    return {
      analysis_id: analysisId,
      badges,
      total_badges: badges.length,
      total_points: badges.reduce((acc, b) => acc + b.points, 0),
      in_progress,
    };
  }

  /** Re-applies the current rules to one analysis (backfill). Returns the badges it newly awarded. */
  async reevaluate(id: string): Promise<EarnedBadge[]> {
    const analysisId = requireUuid(id, 'analysis');
    return this.deps.cache.invalidatingTransaction(this.deps.db, async (trx, invalidate) => {
      const state = await loadAnalysisState(trx, analysisId, { forUpdate: true });
      const awarded = await this.awardBadges(trx, state, this.deps.clock.now());
      if (awarded.length) invalidate(analysisId);
      return awarded;
    });
  }

  /**
   * Re-applies the rules to every analysis: keyset pages by id, each page evaluated in memory
   * from four queries and awarded in one multi-row insert, in one transaction with the page's
   * analyses locked (as a progress update would lock them). `onBatch` reports progress.
   */
  async reevaluateAll(opts: {
    batchSize: number;
    onBatch?: (done: number, total: number, awarded: number) => void;
  }): Promise<{ analyses: number; awarded: number }> {
    const db = this.deps.db;
    const [definitions, total] = await Promise.all([activeBadgeDefinitions(db), countAnalyses(db)]);
    let after: string | null = null;
    let analyses = 0;
    let awarded = 0;
    for (;;) {
      const page = await this.deps.cache.invalidatingTransaction(db, async (trx, invalidate) => {
        const rows = await lockAnalysesAfter(trx, after, opts.batchSize);
        if (rows.length === 0) return null;
        const changed = await insertBadgeAwards(
          trx,
          await this.dueAwards(trx, rows, definitions),
          this.deps.clock.now(),
        );
        for (const id of changed) invalidate(id);
        return { last: rows[rows.length - 1]?.id ?? null, count: rows.length, changed };
      });
      if (!page) break;
      analyses += page.count;
      awarded += page.changed.length;
      after = page.last;
      opts.onBatch?.(analyses, Math.max(total, analyses), awarded);
    }
    return { analyses, awarded };
  }

  /** The badges each analysis of a page earns now and does not hold yet. */
  private async dueAwards(q: Knex, rows: AnalysisState['analysis'][], definitions: BadgeDefinition[]) {
    const ids = rows.map((r) => r.id);
    // One after the other: they share the transaction's connection.
    const progress = await listProgressOf(q, ids);
    const activity = await activityTimesOf(q, ids);
    const held = await heldBadgeTypesOf(q, ids);
    const now = this.deps.clock.now();
    return rows.flatMap((analysis) => {
      const { items } = stateOf(analysis, progress.get(analysis.id) ?? []);
      const timeZone = analysis.time_zone ?? this.deps.defaultTimeZone;
      const ctx: BadgeContext = {
        analysisCreatedAt: analysis.created_at,
        items,
        activity: activity.get(analysis.id) ?? [],
        timeZone,
        now,
      };
      return badgesToAward(definitions, held.get(analysis.id) ?? new Set(), ctx).map((badge) => ({
        analysisId: analysis.id,
        badge,
      }));
    });
  }
}

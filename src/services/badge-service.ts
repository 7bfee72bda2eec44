import type { Knex } from 'knex';
import {
  activeBadgeDefinitions,
  badgeAwardInputs,
  deleteBadges,
  heldBadgesOf,
  insertBadgeAwards,
  insertBadges,
  listEarnedBadges,
  type EarnedBadge,
} from '../db/badge-repo.js';
import { activityTimes, activityTimesOf, listProgressOf } from '../db/progress-repo.js';
import { countAnalyses, lockAnalysesAfter } from '../db/analysis-repo.js';
import { revokeCredentials } from '../db/credential-repo.js';
import {
  badgesToAward,
  badgesToRevoke,
  evaluateCriteria,
  type AchievementProgress,
  type BadgeContext,
  type BadgeDefinition,
  type BadgeDefinitionSet,
  type RejectedDefinition,
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
/** What a re-evaluation changed for one analysis. */
export type Reevaluation = { awarded: EarnedBadge[]; revoked: string[] };

export type BadgesOverview = {
  analysis_id: string;
  badges: EarnedBadge[];
  total_badges: number;
  total_points: number;
  in_progress: PendingBadge[];
};

/** Badge awarding and achievement progress, over the rules in `badge_definitions`. */
export class BadgeService {
  /** Rejected definitions already logged by this process (`type@version`). */
  private readonly reported = new Set<string>();

  constructor(private readonly deps: ServiceDeps & { defaultTimeZone: string }) {}

  /** The usable definitions; each rejected row is logged once per process with its type and version. */
  private usable(set: BadgeDefinitionSet): BadgeDefinition[] {
    for (const r of set.rejected) {
      const key = `${r.type}@${r.version}`;
      if (this.reported.has(key)) continue;
      this.reported.add(key);
      this.deps.logger.warn(
        { badge_type: r.type, badge_version: r.version, problem: r.problem },
        `badge definition ${r.type} v${r.version} skipped: ${r.problem}`,
      );
    }
    return set.definitions;
  }

  /**
   * The active badge definitions that cannot be used, and why. The caller tells the operator, so
   * this process does not log them again.
   */
  async rejectedDefinitions(): Promise<RejectedDefinition[]> {
    const { rejected } = await activeBadgeDefinitions(this.deps.db);
    for (const r of rejected) this.reported.add(`${r.type}@${r.version}`);
    return rejected;
  }

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
    const { held, activity, ...set } = await badgeAwardInputs(trx, state.analysis.id);
    const definitions = this.usable(set);
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
    const [set, badges, ctx] = await Promise.all([
      activeBadgeDefinitions(q),
      listEarnedBadges(q, analysisId),
      this.context(q, state, this.deps.clock.now()),
    ]);
    const held = new Set(badges.map((b) => b.badge_type));
    const in_progress = this.usable(set)
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

  /**
   * Re-applies the current rules to one analysis (backfill): awards what it now earns, and takes
   * away what a newer version of a badge no longer grants (its credential is revoked).
   */
  async reevaluate(id: string): Promise<Reevaluation> {
    const analysisId = requireUuid(id, 'analysis');
    return this.deps.cache.invalidatingTransaction(this.deps.db, async (trx, invalidate) => {
      const state = await loadAnalysisState(trx, analysisId, { forUpdate: true });
      const now = this.deps.clock.now();
      const definitions = this.usable(await activeBadgeDefinitions(trx));
      const held = (await heldBadgesOf(trx, [analysisId])).get(analysisId) ?? new Map<string, number>();
      const revoked = badgesToRevoke(definitions, held, await this.context(trx, state, now));
      await this.revoke(
        trx,
        revoked.map((badgeType) => ({ analysisId, badgeType })),
        now,
      );
      const awarded = await this.awardBadges(trx, state, now);
      if (awarded.length || revoked.length) invalidate(analysisId);
      return { awarded, revoked };
    });
  }

  private async revoke(trx: Knex, badges: { analysisId: string; badgeType: string }[], now: Date): Promise<void> {
    if (badges.length === 0) return;
    await deleteBadges(trx, badges);
    const indexes = await revokeCredentials(trx, badges, now);
    this.deps.logger.info({ revoked: badges.length, credentials: indexes.length }, 'badges revoked under new rules');
  }

  /**
   * Re-applies the rules to every analysis: keyset pages by id, each page evaluated in memory
   * from four queries, revoked and awarded in multi-row statements, in one transaction with the
   * page's analyses locked (as a progress update would lock them). `onBatch` reports progress.
   */
  async reevaluateAll(opts: {
    batchSize: number;
    onBatch?: (done: number, total: number, awarded: number) => void;
  }): Promise<{ analyses: number; awarded: number; revoked: number }> {
    const db = this.deps.db;
    const [set, total] = await Promise.all([activeBadgeDefinitions(db), countAnalyses(db)]);
    const definitions = this.usable(set);
    let after: string | null = null;
    let analyses = 0;
    let awarded = 0;
    let revoked = 0;
    for (;;) {
      const page = await this.deps.cache.invalidatingTransaction(db, async (trx, invalidate) => {
        const rows = await lockAnalysesAfter(trx, after, opts.batchSize);
        if (rows.length === 0) return null;
        const now = this.deps.clock.now();
        const due = await this.dueChanges(trx, rows, definitions);
        await this.revoke(trx, due.revocations, now);
        const changed = await insertBadgeAwards(trx, due.awards, now);
        for (const id of new Set([...changed, ...due.revocations.map((r) => r.analysisId)])) invalidate(id);
        return { last: rows[rows.length - 1]?.id ?? null, count: rows.length, changed, revocations: due.revocations };
      });
      if (!page) break;
      analyses += page.count;
      awarded += page.changed.length;
      revoked += page.revocations.length;
      after = page.last;
      opts.onBatch?.(analyses, Math.max(total, analyses), awarded);
    }
    return { analyses, awarded, revoked };
  }

  /** The badges each analysis of a page earns now and does not hold yet, and those new rules take away. */
  private async dueChanges(q: Knex, rows: AnalysisState['analysis'][], definitions: BadgeDefinition[]) {
    const ids = rows.map((r) => r.id);
    // One after the other: they share the transaction's connection.
    const progress = await listProgressOf(q, ids);
    const activity = await activityTimesOf(q, ids);
    const held = await heldBadgesOf(q, ids);
    const now = this.deps.clock.now();
    const awards: { analysisId: string; badge: BadgeDefinition }[] = [];
    const revocations: { analysisId: string; badgeType: string }[] = [];
    for (const analysis of rows) {
      const { items } = stateOf(analysis, progress.get(analysis.id) ?? []);
      const ctx: BadgeContext = {
        analysisCreatedAt: analysis.created_at,
        items,
        activity: activity.get(analysis.id) ?? [],
        timeZone: analysis.time_zone ?? this.deps.defaultTimeZone,
        now,
      };
      const holds = held.get(analysis.id) ?? new Map<string, number>();
      for (const badgeType of badgesToRevoke(definitions, holds, ctx)) {
        revocations.push({ analysisId: analysis.id, badgeType });
        holds.delete(badgeType);
      }
      for (const badge of badgesToAward(definitions, new Set(holds.keys()), ctx))
        awards.push({ analysisId: analysis.id, badge });
    }
    return { awards, revocations };
  }
}

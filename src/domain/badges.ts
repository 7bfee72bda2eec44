import { z } from 'zod';
import type { OpportunityProgress } from './progress.js';
import { exactHours, isWholeTenths } from './hours.js';
import { currentStreak, longestStreak } from './streak.js';

/**
 * A badge's criteria are data (the `badge_definitions.criteria` column): a rule name plus
 * its parameters. A new badge, or a new version of one, is a row that names one of these rules.
 */
export const CriteriaSchema = z.discriminatedUnion('rule', [
  z.object({ rule: z.literal('first_progress') }),
  z.object({ rule: z.literal('first_implemented_within'), hours: z.number().positive() }),
  z.object({
    rule: z.literal('implemented_hours_per_week'),
    // Hours show with one decimal: a threshold between two tenths could be met while the figure shown is below it.
    min: z.number().positive().refine(isWholeTenths, { message: 'must be a whole number of tenths of an hour' }),
  }),
  z.object({ rule: z.literal('all_implemented') }),
  z.object({ rule: z.literal('activity_streak'), days: z.number().int().positive() }),
]);
export type Criteria = z.infer<typeof CriteriaSchema>;

/** A `badge_definitions` row that cannot be used: an unknown rule, or criteria that fail validation. */
export type RejectedDefinition = { type: string; version: number; problem: string };

export type BadgeDefinition = {
  type: string;
  version: number;
  name: string;
  description: string;
  icon: string;
  points: number;
  criteria: Criteria;
};

/**
 * Reads one `badge_definitions` row. A row whose criteria do not validate is rejected with a
 * one-line reason, so that one bad row costs its own badge and nothing else.
 */
export function readBadgeDefinition(
  row: Record<string, unknown>,
): { definition: BadgeDefinition } | { rejected: RejectedDefinition } {
  const type = String(row.type);
  const version = Number(row.version);
  const criteria = CriteriaSchema.safeParse(row.criteria);
  if (!criteria.success) {
    const rule = (row.criteria as { rule?: unknown } | null)?.rule;
    const unknownRule = criteria.error.issues.some((i) => i.path.length === 1 && i.path[0] === 'rule');
    const problem = unknownRule
      ? `unknown rule ${JSON.stringify(rule ?? null)}`
      : criteria.error.issues.map((i) => `${['criteria', ...i.path].join('.')}: ${i.message}`).join('; ');
    return { rejected: { type, version, problem } };
  }
  return {
    definition: {
      type,
      version,
      name: String(row.name),
      description: String(row.description),
      icon: String(row.icon ?? ''),
      points: Number(row.points),
      criteria: criteria.data,
    },
  };
}

/** Splits rows into usable definitions and rejected ones. */
export function readBadgeDefinitions(rows: readonly Record<string, unknown>[]): BadgeDefinitionSet {
  const out: BadgeDefinitionSet = { definitions: [], rejected: [] };
  for (const row of rows) {
    const r = readBadgeDefinition(row);
    if ('definition' in r) out.definitions.push(r.definition);
    else out.rejected.push(r.rejected);
  }
  return out;
}

export type BadgeDefinitionSet = { definitions: BadgeDefinition[]; rejected: RejectedDefinition[] };

/** A badge an analysis holds, as awarded (name and points as they were then). */
export type EarnedBadge = {
  badge_type: string;
  badge_name: string;
  description: string;
  icon: string | null;
  points: number;
  earned_at: Date;
};

/** What a badge rule looks at. */
export type BadgeContext = {
  analysisCreatedAt: Date;
  items: readonly OpportunityProgress[];
  /** When each real status change happened (the activity log). */
  activity: readonly Date[];
  /** The analysis's IANA time zone: streak days are its local days. */
  timeZone: string;
  now: Date;
};

export type AchievementProgress = { current: number; target: number; unit: string; achievable: boolean };
export type BadgeEvaluation = { earned: boolean; progress: AchievementProgress };

const HOUR_MS = 60 * 60 * 1000;

/** Applies one badge rule to an analysis's state. Pure: `now` comes in through the context. */
export function evaluateCriteria(criteria: Criteria, ctx: BadgeContext): BadgeEvaluation {
  const implemented = ctx.items.filter((i) => i.status === 'IMPLEMENTED');
  switch (criteria.rule) {
    case 'first_progress': {
      const started = ctx.items.filter((i) => i.status !== 'NOT_STARTED').length;
      return {
        earned: started > 0,
        progress: { current: Math.min(started, 1), target: 1, unit: 'opportunities', achievable: true },
      };
    }
    case 'first_implemented_within': {
      const deadline = ctx.analysisCreatedAt.getTime() + criteria.hours * HOUR_MS;
      const times = implemented.map((i) => i.implemented_at?.getTime()).filter((t): t is number => t !== undefined);
      const first = times.length ? Math.min(...times) : null;
      const earned = first !== null && first <= deadline;
      // Still achievable: implemented in time, or not implemented yet and the deadline not passed.
      const achievable = (first ?? ctx.now.getTime()) <= deadline;
      // Only an implementation within the deadline counts: a late one leaves it at 0, and achievable false says it is lost.
      return { earned, progress: { current: earned ? 1 : 0, target: 1, unit: 'opportunities', achievable } };
    }
    case 'implemented_hours_per_week': {
      // Compared on the exact sum; `current` is the figure shown everywhere (cut to tenths, never rounded up).
      const min = Math.round(criteria.min * 1e6);
      const done = exactHours(implemented.map((i) => i.hours_per_week));
      const possible = exactHours(ctx.items.map((i) => i.hours_per_week)).micro >= min;
      return {
        earned: done.micro >= min,
        progress: { current: done.tenths, target: criteria.min, unit: 'hours_per_week', achievable: possible },
      };
    }
    case 'all_implemented': {
      const total = ctx.items.length;
      return {
        earned: total > 0 && implemented.length === total,
        progress: { current: implemented.length, target: total, unit: 'opportunities', achievable: total > 0 },
      };
    }
    case 'activity_streak': {
      const earned = longestStreak(ctx.activity, ctx.timeZone) >= criteria.days;
      const current = Math.min(currentStreak(ctx.activity, ctx.now, ctx.timeZone), criteria.days);
      return {
        earned,
        progress: { current: earned ? criteria.days : current, target: criteria.days, unit: 'days', achievable: true },
      };
    }
  }
}

/** The definitions whose rule is met and that the analysis does not hold yet. */
export function badgesToAward(
  definitions: readonly BadgeDefinition[],
  held: ReadonlySet<string>,
  ctx: BadgeContext,
): BadgeDefinition[] {
  return definitions.filter((d) => !held.has(d.type) && evaluateCriteria(d.criteria, ctx).earned);
}

/**
 * The held badges that new rules take away: a newer active version of the badge exists and its
 * rule does not hold. A badge held under its current version is never taken back.
 */
export function badgesToRevoke(
  definitions: readonly BadgeDefinition[],
  held: ReadonlyMap<string, number>,
  ctx: BadgeContext,
): string[] {
  return definitions
    .filter((d) => held.has(d.type) && held.get(d.type) !== d.version && !evaluateCriteria(d.criteria, ctx).earned)
    .map((d) => d.type);
}

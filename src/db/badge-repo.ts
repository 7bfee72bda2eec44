import type { Knex } from 'knex';
import {
  readBadgeDefinitions,
  type BadgeDefinition,
  type BadgeDefinitionSet,
  type EarnedBadge,
} from '../domain/badges.js';

export type { EarnedBadge };

const EARNED_COLUMNS = ['badge_type', 'badge_name', 'description', 'icon', 'points', 'earned_at'];

/** The active version of every badge, and the active rows that cannot be used. */
export async function activeBadgeDefinitions(q: Knex): Promise<BadgeDefinitionSet> {
  return readBadgeDefinitions(await q('badge_definitions').where({ active: true }).orderBy('points'));
}

/**
 * What awarding needs besides the progress, in one round trip: the active definitions, the
 * badge types the analysis holds, and its activity times (oldest first).
 */
export async function badgeAwardInputs(
  q: Knex,
  analysisId: string,
): Promise<BadgeDefinitionSet & { held: Set<string>; activity: Date[] }> {
  const { rows } = await q.raw(
    `SELECT
       (SELECT coalesce(json_agg(d ORDER BY d.points), '[]'::json) FROM badge_definitions d WHERE d.active) AS definitions,
       (SELECT coalesce(json_agg(b.badge_type), '[]'::json) FROM user_badges b WHERE b.analysis_id = ?) AS held,
       (SELECT coalesce(json_agg(e.occurred_at ORDER BY e.occurred_at), '[]'::json) FROM progress_events e WHERE e.analysis_id = ?) AS activity`,
    [analysisId, analysisId],
  );
  const row = rows[0] as { definitions: Record<string, unknown>[]; held: string[]; activity: string[] };
  return {
    ...readBadgeDefinitions(row.definitions),
    held: new Set(row.held),
    activity: row.activity.map((t) => new Date(t)),
  };
}

export async function listEarnedBadges(q: Knex, analysisId: string): Promise<EarnedBadge[]> {
  return q('user_badges')
    .select(EARNED_COLUMNS)
    .where({ analysis_id: analysisId })
    .orderBy([
      { column: 'earned_at', order: 'asc' },
      { column: 'points', order: 'asc' },
    ]);
}

/** Awards badges; a badge already held is skipped by the unique key. Returns only the new ones. */
export async function insertBadges(
  q: Knex,
  analysisId: string,
  definitions: readonly BadgeDefinition[],
  at: Date,
): Promise<EarnedBadge[]> {
  if (definitions.length === 0) return [];
  return q('user_badges')
    .insert(
      definitions.map((d) => ({
        analysis_id: analysisId,
        badge_type: d.type,
        badge_version: d.version,
        badge_name: d.name,
        description: d.description,
        icon: d.icon,
        points: d.points,
        earned_at: at,
      })),
    )
    .onConflict(['analysis_id', 'badge_type'])
    .ignore()
    .returning(EARNED_COLUMNS);
}

/** Badges held by each of several analyses: type to the version it was awarded under. */
export async function heldBadgesOf(q: Knex, analysisIds: readonly string[]): Promise<Map<string, Map<string, number>>> {
  const rows: { analysis_id: string; badge_type: string; badge_version: number }[] = await q('user_badges')
    .select('analysis_id', 'badge_type', 'badge_version')
    .whereIn('analysis_id', analysisIds);
  const out = new Map<string, Map<string, number>>();
  for (const r of rows)
    out.set(r.analysis_id, (out.get(r.analysis_id) ?? new Map()).set(r.badge_type, r.badge_version));
  return out;
}

/** Takes badges away (revocation under new rules). */
export async function deleteBadges(
  q: Knex,
  badges: readonly { analysisId: string; badgeType: string }[],
): Promise<void> {
  if (badges.length === 0) return;
  await q('user_badges')
    .where((w) => {
      for (const b of badges) w.orWhere({ analysis_id: b.analysisId, badge_type: b.badgeType });
    })
    .delete();
}

/** Rows per INSERT: 8 parameters a row stays well under PostgreSQL's 65 535. */
const AWARD_CHUNK = 1000;

/** Awards badges to several analyses in multi-row inserts; returns the analyses that got a new one. */
export async function insertBadgeAwards(
  q: Knex,
  awards: readonly { analysisId: string; badge: BadgeDefinition }[],
  at: Date,
): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < awards.length; i += AWARD_CHUNK) {
    const rows: { analysis_id: string }[] = await q('user_badges')
      .insert(
        awards.slice(i, i + AWARD_CHUNK).map(({ analysisId, badge: d }) => ({
          analysis_id: analysisId,
          badge_type: d.type,
          badge_version: d.version,
          badge_name: d.name,
          description: d.description,
          icon: d.icon,
          points: d.points,
          earned_at: at,
        })),
      )
      .onConflict(['analysis_id', 'badge_type'])
      .ignore()
      .returning('analysis_id');
    out.push(...rows.map((r) => r.analysis_id));
  }
  return out;
}

import type { Knex } from 'knex';
import { advisoryXactLocks } from './locks.js';
import { preparedRows } from './prepared.js';
import type { ResultsSummary } from '../domain/results-summary.js';
import type { ProgressRow } from './progress-repo.js';
import type { EarnedBadge } from '../domain/badges.js';

export type AnalysisStatus = 'PENDING' | 'COMPLETE';

export type AnalysisRow = {
  id: string;
  url: string;
  url_hash: string;
  status: AnalysisStatus;
  results_summary: ResultsSummary | null;
  hourly_rate: number | null;
  /** IANA name whose local days count for streaks and reports; null: the configured default. */
  time_zone: string | null;
  created_at: Date;
  completed_at: Date | null;
};

const COLUMNS = [
  'id',
  'url',
  'url_hash',
  'status',
  'results_summary',
  'hourly_rate',
  'time_zone',
  'created_at',
  'completed_at',
];

function toRow(r: Record<string, unknown>): AnalysisRow {
  return {
    ...(r as AnalysisRow),
    url_hash: String(r.url_hash).trim(),
    hourly_rate: r.hourly_rate === null || r.hourly_rate === undefined ? null : Number(r.hourly_rate),
  };
}

/** One analysis, optionally locked for the rest of the transaction. */
export async function findAnalysis(
  q: Knex,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<AnalysisRow | null> {
  let query = q('analyses').select(COLUMNS).where({ id }).first();
  if (opts.forUpdate) query = query.forUpdate();
  const row = await query;
  return row ? toRow(row) : null;
}

const asDate = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(v as string));

const PROGRESS_JSON = `coalesce((SELECT json_agg(json_build_object('opportunity_id', p.opportunity_id, 'status', p.status,
  'implemented_at', p.implemented_at, 'updated_at', p.updated_at)) FROM user_progress p WHERE p.analysis_id = a.id), '[]'::json)`;
const BADGES_JSON = `coalesce((SELECT json_agg(json_build_object('badge_type', b.badge_type, 'badge_name', b.badge_name,
  'description', b.description, 'icon', b.icon, 'points', b.points, 'earned_at', b.earned_at) ORDER BY b.earned_at, b.points)
  FROM user_badges b WHERE b.analysis_id = a.id), '[]'::json)`;

const withProgress = (badges: string) =>
  `SELECT ${COLUMNS.map((c) => `a.${c}`).join(', ')}, ${PROGRESS_JSON} AS progress, ${badges} AS badges FROM analyses a WHERE a.id = ?`;
const WITH_PROGRESS = { name: 'analysis-progress', sql: withProgress(`'[]'::json`) };
const WITH_PROGRESS_AND_BADGES = { name: 'analysis-progress-badges', sql: withProgress(BADGES_JSON) };

export type AnalysisWithProgress = { analysis: AnalysisRow; progress: ProgressRow[]; badges: EarnedBadge[] };

/**
 * One analysis with the status rows of its opportunities and, when asked, its earned badges
 * (as `listEarnedBadges` orders them), in one query. Takes no lock: for reads only.
 */
export async function findAnalysisWithProgress(
  q: Knex,
  id: string,
  opts: { badges?: boolean } = {},
): Promise<AnalysisWithProgress | null> {
  const { name, sql } = opts.badges ? WITH_PROGRESS_AND_BADGES : WITH_PROGRESS;
  const [row] = await preparedRows<
    Record<string, unknown> & { progress: Record<string, unknown>[]; badges: Record<string, unknown>[] }
  >(q, name, sql, [id]);
  if (!row) return null;
  const { progress, badges, ...analysis } = row;
  return {
    analysis: toRow(analysis),
    progress: progress.map((p) => ({
      ...(p as ProgressRow),
      implemented_at: asDate(p.implemented_at),
      updated_at: asDate(p.updated_at),
    })),
    badges: badges.map((b) => ({ ...(b as EarnedBadge), earned_at: new Date(b.earned_at as string) })),
  };
}

/** The newest analysis of a URL created at or after `since`. */
export async function findRecentByUrlHash(q: Knex, urlHash: string, since: Date): Promise<AnalysisRow | null> {
  const row = await q('analyses')
    .select(COLUMNS)
    .where('url_hash', urlHash)
    .andWhere('created_at', '>=', since)
    .orderBy('created_at', 'desc')
    .first();
  return row ? toRow(row) : null;
}

export async function insertAnalysis(
  q: Knex,
  a: {
    id?: string;
    url: string;
    url_hash: string;
    results_summary: ResultsSummary | null;
    time_zone?: string | null;
    created_at: Date;
  },
): Promise<AnalysisRow> {
  const complete = a.results_summary !== null;
  const [row] = await q('analyses')
    .insert({
      ...(a.id ? { id: a.id } : {}),
      url: a.url,
      url_hash: a.url_hash,
      status: complete ? 'COMPLETE' : 'PENDING',
      results_summary: complete ? JSON.stringify(a.results_summary) : null,
      time_zone: a.time_zone ?? null,
      created_at: a.created_at,
      completed_at: complete ? a.created_at : null,
    })
    .onConflict('id')
    .ignore()
    .returning(COLUMNS);
  return toRow(row ?? (await q('analyses').select(COLUMNS).where({ id: a.id }).first()));
}

export async function completeAnalysis(q: Knex, id: string, summary: ResultsSummary, at: Date): Promise<AnalysisRow> {
  const [row] = await q('analyses')
    .where({ id })
    .update({ status: 'COMPLETE', results_summary: JSON.stringify(summary), completed_at: at })
    .returning(COLUMNS);
  return toRow(row);
}

export async function setTimeZone(q: Knex, id: string, timeZone: string): Promise<void> {
  await q('analyses').where({ id }).update({ time_zone: timeZone });
}

export async function setHourlyRate(q: Knex, id: string, rate: number): Promise<void> {
  await q('analyses').where({ id }).update({ hourly_rate: rate });
}

/** One line of an analysis listing. */
export type AnalysisListItem = {
  id: string;
  url: string;
  status: AnalysisStatus;
  company_name: string | null;
  created_at: Date;
};

/** The newest analyses first, optionally only those whose URL contains `urlContains` (case-insensitive). */
export async function listAnalyses(
  q: Knex,
  opts: { urlContains?: string | undefined; limit: number },
): Promise<AnalysisListItem[]> {
  const query = q('analyses')
    .select(
      'id',
      'url',
      'status',
      q.raw("results_summary->'identity_a1'->>'company_name' AS company_name"),
      'created_at',
    )
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(opts.limit);
  if (opts.urlContains)
    query.whereRaw("url ILIKE ? ESCAPE '\\'", [`%${opts.urlContains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`]);
  return query;
}

/**
 * Inserts a batch of imported analyses whose URL hash is not known yet, in one transaction:
 * the same per-hash advisory locks as the API's intake (taken in order, so batches cannot
 * deadlock), one query for the hashes already present, one multi-row insert for the rest.
 * Returns the hashes it inserted.
 */
export async function insertNewAnalyses(
  q: Knex,
  rows: readonly { url: string; url_hash: string; results_summary: ResultsSummary; created_at: Date }[],
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const hashes = [...new Set(rows.map((r) => r.url_hash))].sort();
  return q.transaction(async (trx) => {
    await advisoryXactLocks(trx, hashes);
    const known = new Set(
      (await trx('analyses').whereIn('url_hash', hashes).pluck('url_hash')).map((h: string) => h.trim()),
    );
    const fresh = rows.filter((r) => !known.has(r.url_hash));
    if (fresh.length === 0) return new Set<string>();
    const inserted: { url_hash: string }[] = await trx('analyses')
      .insert(
        fresh.map((r) => ({
          url: r.url,
          url_hash: r.url_hash,
          status: 'COMPLETE',
          results_summary: JSON.stringify(r.results_summary),
          created_at: r.created_at,
          completed_at: r.created_at,
        })),
      )
      .returning('url_hash');
    return new Set(inserted.map((r) => r.url_hash.trim()));
  });
}

/** The next `limit` analyses after `afterId` by id (keyset pagination), locked for the transaction. */
export async function lockAnalysesAfter(trx: Knex, afterId: string | null, limit: number): Promise<AnalysisRow[]> {
  const query = trx('analyses').select(COLUMNS).orderBy('id').limit(limit).forUpdate();
  if (afterId) query.where('id', '>', afterId);
  return (await query).map(toRow);
}

export async function countAnalyses(q: Knex): Promise<number> {
  const row = await q('analyses').count<{ n: string | number }[]>('* as n').first();
  return Number(row?.n ?? 0);
}

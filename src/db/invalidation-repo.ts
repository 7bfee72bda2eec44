import type { Knex } from 'knex';
import type { InvalidationJournal } from '../infra/cache/invalidation.js';

/**
 * `cache_invalidations`: cache invalidations that Redis has not acknowledged yet. A write records
 * one in its own transaction; the writer deletes it once Redis took the new generation, and any
 * instance replays (then deletes) the ones left behind by a writer that lost Redis or died.
 */

/** One pending invalidation: an analysis, or every analysis of the namespace (`analysis_id` null). */
export type PendingInvalidation = { id: string; analysis_id: string | null };

/** Records pending invalidations in the caller's transaction; returns their ids. */
export async function recordInvalidations(
  trx: Knex.Transaction,
  namespace: string,
  analysisIds: readonly (string | null)[],
): Promise<string[]> {
  if (analysisIds.length === 0) return [];
  const rows: { id: string | number }[] = await trx('cache_invalidations')
    .insert(analysisIds.map((analysis_id) => ({ namespace, analysis_id })))
    .returning('id');
  return rows.map((r) => String(r.id));
}

/** Deletes invalidations Redis has taken; rows another instance is replaying right now are left to it. */
export async function deleteInvalidations(q: Knex, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await q.raw(
    `DELETE FROM cache_invalidations WHERE id IN (
       SELECT id FROM cache_invalidations WHERE id = ANY(?::bigint[]) FOR UPDATE SKIP LOCKED)`,
    [[...ids]],
  );
}

/**
 * The analyses of the namespace with an invalidation recorded at least `olderThanMs` ago (null: every
 * analysis), distinct, at most `limit` of them.
 */
export async function pendingInvalidationTargets(
  q: Knex,
  namespace: string,
  olderThanMs: number,
  limit: number,
): Promise<(string | null)[]> {
  const { rows } = await q.raw(
    `SELECT DISTINCT analysis_id FROM cache_invalidations
     WHERE namespace = ? AND created_at <= clock_timestamp() - make_interval(secs => ?::double precision / 1000)
     LIMIT ?`,
    [namespace, olderThanMs, limit],
  );
  return (rows as { analysis_id: string | null }[]).map((r) => r.analysis_id);
}

/** The newest pending id of the namespace, or null: a replay up to it covers every write acknowledged so far. */
export async function lastPendingInvalidation(q: Knex, namespace: string): Promise<string | null> {
  const { rows } = await q.raw('SELECT max(id) AS id FROM cache_invalidations WHERE namespace = ?', [namespace]);
  const id = rows[0]?.id;
  return id === null || id === undefined ? null : String(id);
}

/** True while any invalidation up to `upTo` is still there, including those another instance is replaying. */
export async function invalidationsLeft(q: Knex, namespace: string, upTo: string): Promise<boolean> {
  const { rows } = await q.raw('SELECT 1 FROM cache_invalidations WHERE namespace = ? AND id <= ? LIMIT 1', [
    namespace,
    upTo,
  ]);
  return rows.length > 0;
}

/**
 * Claims up to `limit` pending invalidations in id order (skipping those another instance holds),
 * runs `apply` on them and deletes them, in one transaction: if `apply` throws they stay for the
 * next attempt. Returns how many were replayed.
 */
export async function replayInvalidations(
  db: Knex,
  namespace: string,
  opts: { limit: number; olderThanMs: number; upTo?: string | null },
  apply: (rows: PendingInvalidation[]) => Promise<void>,
): Promise<number> {
  return db.transaction(async (trx) => {
    const { rows } = await trx.raw(
      `SELECT id, analysis_id FROM cache_invalidations
       WHERE namespace = :namespace
         AND created_at <= clock_timestamp() - make_interval(secs => :olderThanMs::double precision / 1000)
         AND (:upTo::bigint IS NULL OR id <= :upTo::bigint)
       ORDER BY id
       LIMIT :limit
       FOR UPDATE SKIP LOCKED`,
      { namespace, olderThanMs: opts.olderThanMs, upTo: opts.upTo ?? null, limit: opts.limit },
    );
    const claimed = (rows as { id: string | number; analysis_id: string | null }[]).map((r) => ({
      id: String(r.id),
      analysis_id: r.analysis_id,
    }));
    if (claimed.length === 0) return 0;
    await apply(claimed);
    await trx('cache_invalidations')
      .whereIn(
        'id',
        claimed.map((r) => r.id),
      )
      .delete();
    return claimed.length;
  });
}

/** The journal of one cache namespace over this database, as the cache's invalidation uses it. */
export function invalidationJournal(db: Knex, namespace: string): InvalidationJournal {
  return {
    record: (trx, analysisIds) => recordInvalidations(trx, namespace, analysisIds),
    settle: (ids) => deleteInvalidations(db, ids),
    pending: (olderThanMs, limit) => pendingInvalidationTargets(db, namespace, olderThanMs, limit),
    last: () => lastPendingInvalidation(db, namespace),
    left: (upTo) => invalidationsLeft(db, namespace, upTo),
    replay: (opts, apply) => replayInvalidations(db, namespace, opts, apply),
  };
}

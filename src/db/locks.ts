import type { Knex } from 'knex';

/**
 * Transaction-level advisory locks: PostgreSQL releases them at commit or rollback, so a crash
 * cannot leave one behind.
 */

/** Waits for the lock on `key` (64-bit hash), e.g. one URL's intake. */
export async function advisoryXactLock(trx: Knex.Transaction, key: string): Promise<void> {
  await trx.raw('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [key]);
}

/** Waits for the locks on every key, taken in sorted order so that two batches cannot deadlock. */
export async function advisoryXactLocks(trx: Knex.Transaction, keys: readonly string[]): Promise<void> {
  const sorted = [...new Set(keys)].sort();
  await trx.raw(
    'SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0))) FROM (SELECT unnest(?::text[]) AS k ORDER BY 1) s',
    [sorted],
  );
}

/** Takes the lock on `name` without waiting; false when another session holds it. */
export async function tryAdvisoryXactLock(trx: Knex.Transaction, name: string): Promise<boolean> {
  const { rows } = await trx.raw('SELECT pg_try_advisory_xact_lock(hashtext(?)) AS locked', [name]);
  return Boolean(rows[0]?.locked);
}

import type { Harness } from './harness.js';

/** The journal check for invalidations left behind by writers (src/db/invalidation-repo.ts), in the background. */
export const isBackgroundPoll = (sql: string) =>
  /^SELECT DISTINCT analysis_id FROM cache_invalidations\b/.test(sql.trim());

/** The SQL statements the container's knex sends while `fn` runs (the background poll aside). */
export async function statements(h: Harness, fn: () => Promise<unknown>): Promise<string[]> {
  const sql: string[] = [];
  const listener = (q: { sql: string }) => void (isBackgroundPoll(q.sql) || sql.push(q.sql));
  h.container.db.on('query', listener);
  try {
    await fn();
  } finally {
    h.container.db.off('query', listener);
  }
  return sql;
}

import type { Harness } from './harness.js';

/** The SQL statements the container's knex sends while `fn` runs. */
export async function statements(h: Harness, fn: () => Promise<unknown>): Promise<string[]> {
  const sql: string[] = [];
  const listener = (q: { sql: string }) => sql.push(q.sql);
  h.container.db.on('query', listener);
  try {
    await fn();
  } finally {
    h.container.db.off('query', listener);
  }
  return sql;
}

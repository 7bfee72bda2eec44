import type { Knex } from 'knex';

/** One round trip to the database; rejects when it cannot answer. */
export async function pingDatabase(q: Knex): Promise<void> {
  await q.raw('SELECT 1');
}

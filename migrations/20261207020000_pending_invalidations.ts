import type { Knex } from 'knex';

// Cache invalidations not yet acknowledged by Redis, written in the same transaction as the data they
// invalidate; any instance replays and deletes them (src/db/invalidation-repo.ts).
const UP: readonly string[] = [
  `CREATE TABLE cache_invalidations (
    id BIGSERIAL PRIMARY KEY,
    namespace VARCHAR(200) NOT NULL,
    analysis_id UUID,
    created_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
  )`,
  `COMMENT ON COLUMN cache_invalidations.analysis_id IS 'NULL: every analysis of the namespace'`,
  `CREATE INDEX idx_cache_invalidations_namespace ON cache_invalidations (namespace, id)`,
];

export async function up(knex: Knex): Promise<void> {
  for (const statement of UP) await knex.raw(statement);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE IF EXISTS cache_invalidations');
}

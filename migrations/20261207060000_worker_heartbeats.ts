import type { Knex } from 'knex';

// Liveness of the report scheduler and delivery workers: each running instance beats every few
// seconds; the console counts the live ones. One statement per knex.raw call (PGlite).
const UP: readonly string[] = [
  `CREATE TABLE worker_heartbeats (
     instance_id UUID PRIMARY KEY,
     role TEXT NOT NULL CHECK (role IN ('scheduler', 'worker', 'confirmations')),
     host TEXT NOT NULL,
     pid INTEGER NOT NULL,
     started_at TIMESTAMPTZ NOT NULL,
     last_beat_at TIMESTAMPTZ NOT NULL
   )`,
  `CREATE INDEX idx_worker_heartbeats_last_beat ON worker_heartbeats (last_beat_at)`,
];

const DOWN: readonly string[] = [`DROP TABLE IF EXISTS worker_heartbeats`];

export async function up(knex: Knex): Promise<void> {
  for (const statement of UP) await knex.raw(statement);
}

export async function down(knex: Knex): Promise<void> {
  for (const statement of DOWN) await knex.raw(statement);
}

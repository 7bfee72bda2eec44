import type { Knex } from 'knex';

// Recoverable delivery: hard bounces counted per subscription (suspended after too many), and
// when each delivery last failed, for the console. One statement per knex.raw call (PGlite).
const UP: readonly string[] = [
  `ALTER TABLE email_subscriptions ADD COLUMN bounce_count INTEGER NOT NULL DEFAULT 0 CHECK (bounce_count >= 0)`,
  `ALTER TABLE email_subscriptions ADD COLUMN suspended_at TIMESTAMPTZ`,
  `ALTER TABLE report_deliveries ADD COLUMN failed_at TIMESTAMPTZ`,
  `CREATE INDEX idx_report_deliveries_failed ON report_deliveries (failed_at DESC) WHERE status = 'failed'`,
];

const DOWN: readonly string[] = [
  `DROP INDEX IF EXISTS idx_report_deliveries_failed`,
  `ALTER TABLE report_deliveries DROP COLUMN IF EXISTS failed_at`,
  `ALTER TABLE email_subscriptions DROP COLUMN IF EXISTS suspended_at`,
  `ALTER TABLE email_subscriptions DROP COLUMN IF EXISTS bounce_count`,
];

export async function up(knex: Knex): Promise<void> {
  for (const statement of UP) await knex.raw(statement);
}

export async function down(knex: Knex): Promise<void> {
  for (const statement of DOWN) await knex.raw(statement);
}

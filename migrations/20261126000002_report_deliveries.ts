import type { Knex } from 'knex';

// The report outbox: one row per (subscription, period). One statement per knex.raw call, so
// that PGlite (whose query() takes a single statement) runs the same migration as PostgreSQL.
const UP: readonly string[] = [
  `CREATE TABLE report_deliveries (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    subscription_id UUID NOT NULL REFERENCES email_subscriptions(id) ON DELETE CASCADE,
    frequency VARCHAR(20) NOT NULL CHECK (frequency IN ('weekly', 'monthly')),
    period_key VARCHAR(20) NOT NULL,
    scheduled_at TIMESTAMPTZ NOT NULL,
    status VARCHAR(20) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at TIMESTAMPTZ NOT NULL,
    claimed_at TIMESTAMPTZ,
    locked_until TIMESTAMPTZ,
    last_error TEXT,
    message_id TEXT GENERATED ALWAYS AS ('<' || id::text || '@visionaire>') STORED,
    sent_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    UNIQUE (subscription_id, period_key)
  )`,
  `CREATE INDEX idx_report_deliveries_due ON report_deliveries (next_attempt_at) WHERE status = 'pending'`,
  `CREATE INDEX idx_report_deliveries_leased ON report_deliveries (locked_until) WHERE status = 'sending'`,
  `CREATE INDEX idx_report_deliveries_status ON report_deliveries (status, period_key)`,
];

export async function up(knex: Knex): Promise<void> {
  for (const statement of UP) await knex.raw(statement);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE IF EXISTS report_deliveries');
}

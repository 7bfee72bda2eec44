import type { Knex } from 'knex';

// Time zone per analysis (NULL: the configured REPORT_TIME_ZONE), and the consent record of each subscription (double opt-in).
// One statement per knex.raw call, so that PGlite runs the same migration as PostgreSQL.
const UP: readonly string[] = [
  `ALTER TABLE analyses ADD COLUMN time_zone VARCHAR(64)`,
  `ALTER TABLE email_subscriptions
    ADD COLUMN consent_requested_at TIMESTAMPTZ,
    ADD COLUMN consent_request_ip VARCHAR(64),
    ADD COLUMN consent_request_user_agent VARCHAR(512),
    ADD COLUMN confirmed_at TIMESTAMPTZ,
    ADD COLUMN consent_confirm_ip VARCHAR(64),
    ADD COLUMN consent_confirm_user_agent VARCHAR(512),
    ADD COLUMN confirmation_due_at TIMESTAMPTZ,
    ADD COLUMN confirmation_attempts INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN confirmation_sent_at TIMESTAMPTZ`,
  // Subscriptions made before double opt-in keep receiving reports; their record shows no confirmation step.
  `UPDATE email_subscriptions SET confirmed_at = created_at, consent_requested_at = created_at`,
  `CREATE INDEX idx_subscriptions_confirmation_due ON email_subscriptions (confirmation_due_at) WHERE confirmation_due_at IS NOT NULL`,
  `CREATE INDEX idx_subscriptions_pending ON email_subscriptions (consent_requested_at) WHERE confirmed_at IS NULL`,
];

export async function up(knex: Knex): Promise<void> {
  for (const statement of UP) await knex.raw(statement);
}

const DOWN: readonly string[] = [
  'DROP INDEX IF EXISTS idx_subscriptions_pending',
  'DROP INDEX IF EXISTS idx_subscriptions_confirmation_due',
  `ALTER TABLE email_subscriptions
    DROP COLUMN consent_requested_at, DROP COLUMN consent_request_ip, DROP COLUMN consent_request_user_agent,
    DROP COLUMN confirmed_at, DROP COLUMN consent_confirm_ip, DROP COLUMN consent_confirm_user_agent,
    DROP COLUMN confirmation_due_at, DROP COLUMN confirmation_attempts, DROP COLUMN confirmation_sent_at`,
  'ALTER TABLE analyses DROP COLUMN time_zone',
];

export async function down(knex: Knex): Promise<void> {
  for (const statement of DOWN) await knex.raw(statement);
}

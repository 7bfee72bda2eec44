import type { Knex } from 'knex';

// Open Badges credentials (signing keys, issued credentials, their status-list slots) and the
// subscriber's data rights (withdrawal record, erasure proofs, anonymised consent history).
// One statement per knex.raw call, so that PGlite runs the same migration as PostgreSQL.
const UP: readonly string[] = [
  `CREATE TABLE signing_keys (
    kid VARCHAR(64) PRIMARY KEY,
    algorithm VARCHAR(16) NOT NULL DEFAULT 'EdDSA',
    public_jwk JSONB NOT NULL,
    private_jwk JSONB NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    retired_at TIMESTAMPTZ
  )`,
  `-- At most one current key; retired keys stay published so that old credentials still verify.
  CREATE UNIQUE INDEX idx_signing_keys_current ON signing_keys ((retired_at IS NULL)) WHERE retired_at IS NULL`,
  `CREATE SEQUENCE badge_credential_status_index MINVALUE 0 START 0`,
  `CREATE TABLE badge_credentials (
    id UUID PRIMARY KEY,
    analysis_id UUID NOT NULL REFERENCES analyses(id) ON DELETE CASCADE,
    badge_type VARCHAR(50) NOT NULL,
    badge_version INTEGER NOT NULL,
    badge_name VARCHAR(100) NOT NULL,
    earned_at TIMESTAMPTZ NOT NULL,
    status_list INTEGER NOT NULL DEFAULT 1,
    status_index INTEGER NOT NULL CHECK (status_index >= 0),
    kid VARCHAR(64) NOT NULL REFERENCES signing_keys(kid),
    jwt TEXT NOT NULL,
    issued_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ,
    UNIQUE (status_list, status_index)
  )`,
  `-- One live credential per earned badge; a revoked one stays (its page says revoked).
  CREATE UNIQUE INDEX idx_badge_credentials_live ON badge_credentials (analysis_id, badge_type) WHERE revoked_at IS NULL`,
  `CREATE INDEX idx_badge_credentials_revoked ON badge_credentials (status_list) WHERE revoked_at IS NOT NULL`,
  // The withdrawal columns come from 20261207070000_consent_withdrawal. Unsubscribed before
  // withdrawals were recorded: the last change is the best date we have (retention counts from it).
  `UPDATE email_subscriptions SET consent_withdrawn_at = COALESCE(updated_at, created_at)
    WHERE active = FALSE AND suspended_at IS NULL AND consent_withdrawn_at IS NULL`,
  `CREATE INDEX idx_subscriptions_withdrawn ON email_subscriptions (consent_withdrawn_at)
    WHERE consent_withdrawn_at IS NOT NULL`,
  // Anonymised deliveries keep their period, state and dates but lose their subscription.
  `ALTER TABLE report_deliveries ALTER COLUMN subscription_id DROP NOT NULL`,
  `CREATE INDEX idx_report_deliveries_created ON report_deliveries (created_at) WHERE subscription_id IS NOT NULL`,
  `CREATE TABLE anonymised_consents (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    analysis_id UUID REFERENCES analyses(id) ON DELETE SET NULL,
    frequency VARCHAR(20) NOT NULL,
    requested_at TIMESTAMPTZ,
    confirmed_at TIMESTAMPTZ,
    withdrawn_at TIMESTAMPTZ,
    anonymised_at TIMESTAMPTZ NOT NULL
  )`,
  `CREATE TABLE erasures (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    salt VARCHAR(64) NOT NULL,
    email_hash CHAR(64) NOT NULL,
    requested_via VARCHAR(20) NOT NULL CHECK (requested_via IN ('cli', 'unsubscribe_link')),
    subscriptions INTEGER NOT NULL,
    deliveries INTEGER NOT NULL,
    erased_at TIMESTAMPTZ NOT NULL
  )`,
];

export async function up(knex: Knex): Promise<void> {
  for (const statement of UP) await knex.raw(statement);
}

const DOWN: readonly string[] = [
  'DROP TABLE IF EXISTS erasures',
  'DROP TABLE IF EXISTS anonymised_consents',
  'DROP INDEX IF EXISTS idx_report_deliveries_created',
  // Anonymised deliveries cannot get their subscription back.
  'DELETE FROM report_deliveries WHERE subscription_id IS NULL',
  'ALTER TABLE report_deliveries ALTER COLUMN subscription_id SET NOT NULL',
  'DROP INDEX IF EXISTS idx_subscriptions_withdrawn',
  'DROP TABLE IF EXISTS badge_credentials',
  'DROP SEQUENCE IF EXISTS badge_credential_status_index',
  'DROP TABLE IF EXISTS signing_keys',
];

export async function down(knex: Knex): Promise<void> {
  for (const statement of DOWN) await knex.raw(statement);
}

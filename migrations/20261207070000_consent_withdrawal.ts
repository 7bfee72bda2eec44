import type { Knex } from 'knex';

// The consent record's last step: when a subscription was withdrawn, through what (an emailed
// unsubscribe link, the dashboard), and from where. NULL while the subscription stands.
const UP: readonly string[] = [
  `ALTER TABLE email_subscriptions
    ADD COLUMN consent_withdrawn_at TIMESTAMPTZ,
    ADD COLUMN consent_withdrawal_source VARCHAR(32),
    ADD COLUMN consent_withdraw_ip VARCHAR(64),
    ADD COLUMN consent_withdraw_user_agent VARCHAR(512)`,
];

export async function up(knex: Knex): Promise<void> {
  for (const statement of UP) await knex.raw(statement);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE email_subscriptions
    DROP COLUMN consent_withdrawn_at, DROP COLUMN consent_withdrawal_source,
    DROP COLUMN consent_withdraw_ip, DROP COLUMN consent_withdraw_user_agent`);
}

import type { Knex } from 'knex';
import * as coreSchema from '../../migrations/20261126000001_core_schema.js';
import * as reportDeliveries from '../../migrations/20261126000002_report_deliveries.js';
import * as deliveryRecovery from '../../migrations/20261127100000_delivery_recovery.js';
import * as localTimeAndConsent from '../../migrations/20261127120000_local_time_and_consent.js';
import * as consentWithdrawal from '../../migrations/20261207070000_consent_withdrawal.js';

type Migration = { up(knex: Knex): Promise<void>; down(knex: Knex): Promise<void> };

// Listed explicitly so that the same set runs from TypeScript sources and from the compiled build.
const MIGRATIONS: ReadonlyArray<[string, Migration]> = [
  ['20261126000001_core_schema', coreSchema],
  ['20261126000002_report_deliveries', reportDeliveries],
  ['20261127100000_delivery_recovery', deliveryRecovery],
  ['20261127120000_local_time_and_consent', localTimeAndConsent],
  ['20261207070000_consent_withdrawal', consentWithdrawal],
];

/** Knex migration source over the project's `migrations/` folder. */
const migrationSource: Knex.MigrationSource<[string, Migration]> = {
  getMigrations: async () => [...MIGRATIONS],
  getMigrationName: ([name]) => name,
  getMigration: async ([, migration]) => migration,
};

export const migratorConfig: Knex.MigratorConfig = { migrationSource, tableName: 'knex_migrations' };

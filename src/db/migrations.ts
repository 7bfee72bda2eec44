import type { Knex } from 'knex';
import * as coreSchema from '../../migrations/20261126000001_core_schema.js';
import * as reportDeliveries from '../../migrations/20261126000002_report_deliveries.js';
import * as deliveryRecovery from '../../migrations/20261127100000_delivery_recovery.js';
import * as localTimeAndConsent from '../../migrations/20261127120000_local_time_and_consent.js';
import * as pendingInvalidations from '../../migrations/20261207020000_pending_invalidations.js';
import * as consentWithdrawal from '../../migrations/20261207070000_consent_withdrawal.js';
import * as workerHeartbeats from '../../migrations/20261207060000_worker_heartbeats.js';
import * as credentialsAndPrivacy from '../../migrations/20261207080000_credentials_and_privacy.js';

type Migration = { up(knex: Knex): Promise<void>; down(knex: Knex): Promise<void> };

// Listed explicitly so that the same set runs from TypeScript sources and from the compiled build.
const MIGRATIONS: ReadonlyArray<[string, Migration]> = [
  ['20261126000001_core_schema', coreSchema],
  ['20261126000002_report_deliveries', reportDeliveries],
  ['20261127100000_delivery_recovery', deliveryRecovery],
  ['20261127120000_local_time_and_consent', localTimeAndConsent],
  ['20261207020000_pending_invalidations', pendingInvalidations],
  ['20261207060000_worker_heartbeats', workerHeartbeats],
  ['20261207070000_consent_withdrawal', consentWithdrawal],
  ['20261207080000_credentials_and_privacy', credentialsAndPrivacy],
];

/** Knex migration source over the project's `migrations/` folder. */
const migrationSource: Knex.MigrationSource<[string, Migration]> = {
  getMigrations: async () => [...MIGRATIONS],
  getMigrationName: ([name]) => name,
  getMigration: async ([, migration]) => migration,
};

export const migratorConfig: Knex.MigratorConfig = { migrationSource, tableName: 'knex_migrations' };

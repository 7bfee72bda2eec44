// For the knex CLI and other tools: the same database and migrations as the service.
//   node --import tsx node_modules/knex/bin/cli.js --knexfile knexfile.ts migrate:status
// Prefer `visionaire migrate`, which also takes the embedded database's lock.
import { loadProcessConfig } from './src/config.js';
import { knexConfig } from './src/db/database.js';
import { migratorConfig } from './src/db/migrations.js';

const config = loadProcessConfig();
export default { ...knexConfig(config.database, config.dbLimits), migrations: migratorConfig };

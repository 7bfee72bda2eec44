import { ensureDatabase } from './helpers/postgres.js';
import { TEST_DATABASE_URL } from './helpers/env.js';

let ready: Promise<void> | null = null;

// Root hook: the integration suite's PostgreSQL database exists before any test runs. Under
// `mocha --parallel` the hook runs before each file, in each worker: a worker's own database
// (helpers/env.ts) is made afresh once, by the first file it runs.
export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(30000);
    ready ??= ensureDatabase(TEST_DATABASE_URL, { fresh: process.env.MOCHA_WORKER_ID !== undefined });
    await ready;
  },
};

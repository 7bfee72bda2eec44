import { ensureDatabase } from './helpers/postgres.js';
import { TEST_DATABASE_URL } from './helpers/env.js';

// Root hook: the integration suite's PostgreSQL database exists before any test runs.
export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(30000);
    await ensureDatabase(TEST_DATABASE_URL);
  },
};

// The cache machinery and the cached answer, against the unit tests and the cache integration tests
// (Redis and PostgreSQL): `npm run mutation:cache`.
import base from './stryker.config.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  mutate: ['src/infra/cache/**/*.ts', 'src/http/cached-answer.ts'],
  incrementalFile: 'reports/stryker-incremental-cache.json',
  htmlReporter: { fileName: 'reports/mutation/cache.html' },
  jsonReporter: { fileName: 'reports/mutation/cache.json' },
};

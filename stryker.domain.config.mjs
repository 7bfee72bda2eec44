// The pure rules alone, against the unit tests: `npm run mutation:domain` (a few minutes).
import base from './stryker.config.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  mutate: ['src/domain/**/*.ts'],
  mochaOptions: { ...base.mochaOptions, spec: ['test/unit/**/*.test.ts'] },
  incrementalFile: 'reports/stryker-incremental-domain.json',
  htmlReporter: { fileName: 'reports/mutation/domain.html' },
  jsonReporter: { fileName: 'reports/mutation/domain.json' },
};

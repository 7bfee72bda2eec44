// Mutation testing (`npm run mutation`): the pure rules and the cache machinery, against the tests that guard them.
// The mocha runner loads mocha in child processes; `--import tsx` lets them load the TypeScript sources and tests.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'mocha',
  testRunnerNodeArgs: ['--import', 'tsx'],
  mutate: ['src/domain/**/*.ts', 'src/infra/cache/**/*.ts', 'src/http/cached-answer.ts'],
  mochaOptions: {
    spec: ['test/unit/**/*.test.ts', 'test/integration/infra/cache/*.test.ts'],
    require: ['test/setup.ts'],
  },
  coverageAnalysis: 'perTest',
  // Static mutants (module-level tables and constants) need a fresh process and every test per mutant
  // under ESM: hours on two cores. They are left out of the score and listed as ignored.
  ignoreStatic: true,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.tmp/stryker',
  concurrency: 2,
  timeoutMS: 20000,
  thresholds: { high: 90, low: 80, break: null },
};

import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', '.tmp/', 'artillery/node_modules/', 'coverage/', 'reports/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through loadConfig() in src/config.ts.' },
      ],
    },
  },
  {
    files: ['src/config.ts', 'test/**', 'artillery/**', 'bin/**', 'knexfile.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // All SQL lives behind the repositories in src/db (and in migrations/): the rest of the code may name Knex's types only.
    files: ['src/**/*.{ts,tsx}', 'commands/**/*.{ts,tsx}', 'bin/**/*.js'],
    ignores: ['src/db/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ['knex', 'knex-pglite', 'pg', '@electric-sql/pglite'].map((name) => ({
            name,
            allowTypeImports: true,
            message: 'Database access belongs in a src/db repository.',
          })),
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='raw']", message: 'Raw SQL belongs in a src/db repository.' },
        {
          selector: 'CallExpression[callee.name=/^(db|trx|knex)$/]',
          message: 'Query builders belong in a src/db repository.',
        },
        {
          selector: 'CallExpression[callee.property.name=/^(db|knex)$/]',
          message: 'Query builders belong in a src/db repository.',
        },
        ...['Literal[value=/\\/api\\/v1/]', 'TemplateElement[value.raw=/\\/api\\/v1/]'].map((selector) => ({
          selector,
          message: 'Build API paths on API_PREFIX or apiUrl() from src/api-paths.ts.',
        })),
      ],
    },
  },
  // The one place the API prefix is written.
  { files: ['src/api-paths.ts'], rules: { 'no-restricted-syntax': 'off' } },
  // Files stay small: a long one is usually two concepts.
  { files: ['src/**/*.{ts,tsx}'], rules: { 'max-lines': ['error', { max: 300 }] } },
);

import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Workflow code must be deterministic: no Node built-ins, no I/O libraries, no wall clock or
// randomness outside the SDK's, and no promise left floating (it would escape the workflow's scope).
const nodeBuiltins = ['fs', 'path', 'os', 'crypto', 'http', 'https', 'net', 'child_process', 'worker_threads', 'timers', 'dns', 'stream', 'process'];

export default tseslint.config(
  { ignores: ['node_modules/**', '.data/**', 'dist/**', 'db/migrations/**', '.cache/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tool configuration in CommonJS (.dependency-cruiser.cjs).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
  },
  {
    // The support console is plain browser JavaScript, served as is.
    files: ['console/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      'no-restricted-imports': ['error', {
        paths: [
          ...nodeBuiltins.flatMap((m) => [m, `node:${m}`]).map((name) => ({ name, message: 'Workflow and domain code must not do I/O.' })),
          { name: 'postgres', message: 'Database access belongs in activities.' },
          { name: 'drizzle-orm', message: 'Database access belongs in activities.' },
          { name: '@temporalio/client', message: 'Use @temporalio/workflow inside workflows.' },
          { name: '@temporalio/activity', message: 'Activities are imported with `import type` only.', allowTypeImports: true },
        ],
        patterns: [
          { group: ['../activities/*', '../activities'], allowTypeImports: true, message: 'Import activities with `import type` only.' },
          { group: ['../db/*', '../api/*', '../temporal/*'], message: 'Workflow and domain code must not reach I/O layers.' },
        ],
      }],
      'no-restricted-globals': ['error',
        { name: 'setTimeout', message: 'Use sleep() or condition() from @temporalio/workflow.' },
        { name: 'setInterval', message: 'Use a loop with sleep().' },
        { name: 'process', message: 'Workflows read configuration from their input.' },
      ],
      'no-restricted-properties': ['error',
        { object: 'Math', property: 'random', message: 'Non-deterministic; the SDK replaces it, but make intent explicit with uuid4() or input.' },
      ],
    },
  },
  {
    // Imports point down the layers: repositories know no activities, workflows, Temporal or HTTP.
    files: ['db/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['../activities', '../activities/*', '../workflows', '../workflows/*', '../api', '../api/*', '../temporal/*', '@temporalio/*', 'fastify'], message: 'db/ is below activities, workflows and api; import down only.' }],
      }],
    },
  },
);

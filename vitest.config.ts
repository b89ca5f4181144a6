import { defineConfig } from 'vitest/config';

// Temporal's native worker does not mix with worker threads, so every test file runs in a forked process.
// Pure rules (test/unit) need nothing. The workflow unit tests (test/workflows) share one Temporal dev
// server of their own and stub every activity. Everything else shares one Temporal dev server and one
// database started by the global setup, isolated per file by task queue and by its own rows.
// The reliability and security suites run small here (a handful of processes per fault) and at full
// size in `npm run chaos` (CHAOS=1, see test/helpers/chaos.ts).

export default defineConfig({
  test: {
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
      },
      {
        // Each workflow on the dev server with stubbed activities: process logic in seconds, no database.
        extends: true,
        test: {
          name: 'workflows',
          include: ['test/workflows/**/*.test.ts'],
          globalSetup: ['test/helpers/workflow-global-setup.ts'],
          // Their clocks are seconds long: one file at a time, like the integration files beside them.
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/replay/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/reliability/**/*.test.ts', 'test/security/**/*.test.ts', 'test/bench/**/*.test.ts'],
          globalSetup: ['test/helpers/global-setup.ts'],
          // One file at a time: on a 2-core machine the files' workers, dev-server load and fault
          // injections starve each other's timers when run side by side, and sequential is barely slower.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The production topology of `npm run cluster` (Temporal Server services as processes of their own on
        // PostgreSQL, the API and two worker processes), started once by its global setup; the README's
        // manager filters run here too, against SQL visibility.
        extends: true,
        test: {
          name: 'cluster',
          include: ['test/cluster/**/*.test.ts', 'test/integration/manager-filters.test.ts'],
          globalSetup: ['test/helpers/cluster-global-setup.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});

import { defineConfig } from 'vitest/config';

// Three kinds of tests, each with the isolation it needs:
// - unit: pure code, in parallel;
// - integration (*.int.test.ts): each file gets fresh databases cloned from a
//   migrated+seeded template, on PGlite and (when TEST_DATABASE_URL is set) PostgreSQL;
// - e2e (test/e2e): a real server and headless Chromium, one file at a time.
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          exclude: ['test/**/*.int.test.ts', 'test/e2e/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          globalSetup: ['test/support/global-setup.ts'],
          include: ['test/**/*.int.test.ts'],
          exclude: ['test/e2e/**'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          maxWorkers: 2,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          sequence: { groupOrder: 2 },
          globalSetup: ['test/e2e/support/global-setup.ts'],
          include: ['test/e2e/**/*.test.ts'],
          exclude: ['test/e2e/support/**'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          maxWorkers: 1,
          fileParallelism: false,
        },
      },
    ],
  },
});

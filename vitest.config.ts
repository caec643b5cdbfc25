import { defineConfig } from 'vitest/config';

// Integration tests use the real PostgreSQL (one database per test file, cloned from a migrated
// template made in global setup) and the real Redis (one key prefix per runtime).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    poolOptions: { forks: { maxForks: 4, minForks: 1 } },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 20_000,
    reporters: ['default'],
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.spec.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 20_000,
    // A throwaway PostgreSQL cluster for the PostgreSQL store's tests, when one can be started.
    globalSetup: ['test/postgres.global-setup.ts'],
  },
});

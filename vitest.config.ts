import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    pool: 'forks',
    // Worker threads started from the sources (the SQLite log's writer) load TypeScript.
    execArgv: ['--import', fileURLToPath(new URL('./test/worker-typescript.mjs', import.meta.url))],
    testTimeout: 20_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'compiled',
          include: ['test/**/*.spec.ts'],
          // A throwaway PostgreSQL cluster for the PostgreSQL store's tests, when one can be started.
          globalSetup: ['test/postgres.global-setup.ts'],
        },
      },
      {
        // The rule, rule-audit and core suites again on XState's own `transition()` (the way zod runs its
        // suite a second time with its compiled path on). The model-based test compares the two
        // interpreters itself, so it runs once.
        extends: true,
        test: {
          name: 'xstate',
          // XState's interpreter is several times slower than the compiled path: the property
          // tests get the time they need on a busy machine.
          testTimeout: 120_000,
          include: [
            'test/machines/**/*.spec.ts',
            'test/core/**/*.spec.ts',
            'test/rules/**/*.spec.ts',
          ],
          provide: { interpreter: 'xstate' },
          setupFiles: ['test/interpreter.setup.ts'],
        },
      },
    ],
  },
});

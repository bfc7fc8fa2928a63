// Lets worker threads started from recwatch's TypeScript sources load them (the SQLite log's
// writer thread, src/log/sqlite-writer-thread.ts), as the test processes do through Vitest:
// passed to every test process by vitest.config.ts (`execArgv`), inherited by its workers, and
// active only in those workers, so Vitest's own loading is left alone.
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

if (!isMainThread) register(new URL('./worker-typescript-hooks.mjs', import.meta.url));

// The SQLite log's checkpointer: a thread the writer thread starts (sqlite-writer-thread.ts) once
// the log is busy, with a connection of its own that copies the WAL back into the database file
// (`PRAGMA wal_checkpoint(PASSIVE)`) every CHECKPOINT_EVERY_MS. A PASSIVE checkpoint never takes
// the write lock, so commits go on while it copies and fsyncs; done by the writer itself (SQLite's
// automatic checkpoint, every 1,000 WAL pages), it would hold up the commit that crossed the
// line, and every request waiting on it. A checkpoint that fails is tried again at the next
// tick; the writer keeps an automatic checkpoint far above this one's pace as a backstop.
import { parentPort, workerData } from 'node:worker_threads';
import { keep } from './sqlite-keep.js';
import type { WriterInit } from './sqlite-writer-protocol.js';

/** Time between two checkpoints, ms. */
export const CHECKPOINT_EVERY_MS = 200;

const SYNCHRONOUS = { full: 'FULL', normal: 'NORMAL' } as const;

async function run(init: WriterInit): Promise<void> {
  const { default: SqliteDatabase } = await import('better-sqlite3');
  const db = keep(new SqliteDatabase(init.file, { fileMustExist: true, timeout: 0 }));
  keep(db.prepare(`PRAGMA synchronous = ${SYNCHRONOUS[init.durability]}`)).run();
  const checkpoint = keep(db.prepare('PRAGMA wal_checkpoint(PASSIVE)'));
  const timer = setInterval(() => {
    try {
      checkpoint.run();
    } catch {
      // Busy or failing: the next tick tries again, and the writer's backstop stays.
    }
  }, CHECKPOINT_EVERY_MS);
  parentPort?.on('message', (message: unknown) => {
    if (message !== 'close') return;
    clearInterval(timer);
    db.close();
    parentPort?.close();
  });
}

if (parentPort !== null) {
  run(workerData as WriterInit).catch(() => {
    // Without a checkpointer the writer's own automatic checkpoint keeps the WAL bounded.
    parentPort?.close();
  });
}

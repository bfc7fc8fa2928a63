// The SQLite log's writer thread (a `worker_threads` worker started by sqlite-writer.ts): it owns
// the log's write connection, so a group commit, its fsync and any wait for the file's lock run
// here and never block the host's event loop. It does one request at a time, in the order sent:
// plans and writes a group in one transaction (`writeGroup`; it keeps the entries not indexed yet
// in memory, sqlite-index.ts, and indexes them when the tail reaches a batch and at close), saves a
// snapshot, or closes. Every failure is answered as data; nothing here throws to the host.
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { writeGroup } from './sqlite-commit.js';
import { UnindexedTail } from './sqlite-index.js';
import { keep, readPragma } from './sqlite-keep.js';
import { type SqliteWrites, sqliteWrites } from './sqlite-statements.js';
import { packPlans, unpackGroup } from './sqlite-wire.js';
import {
  type WirePlan,
  type WriterInit,
  type WriterReply,
  type WriterRequest,
  wireError,
} from './sqlite-writer-protocol.js';

const SYNCHRONOUS = { full: 'FULL', normal: 'NORMAL' } as const;

// The checkpointer's module, beside this one (.js built, .ts from the sources).
const CHECKPOINT_MODULE = new URL(
  `./sqlite-checkpoint-thread${extname(fileURLToPath(import.meta.url))}`,
  import.meta.url,
);
/** Commits before the checkpointer starts: a log written a little never needs one. */
const COMMITS_BEFORE_CHECKPOINTER = 100;
/**
 * WAL pages at which the writer checkpoints itself (SQLite's default is 1,000): a backstop far
 * above what the checkpointer leaves, for when it is not there (yet) or fails.
 */
const BACKSTOP_PAGES = 16_000;

function answer(reply: WriterReply): void {
  if (reply.kind === 'committed') parentPort?.postMessage(reply, [reply.plans.buffer]);
  else parentPort?.postMessage(reply);
}

async function open(init: WriterInit) {
  const { default: SqliteDatabase } = await import('better-sqlite3');
  // The log exists and is at the current schema: the opening thread made sure of it.
  const db = keep(
    new SqliteDatabase(init.file, { fileMustExist: true, timeout: init.busyTimeoutMs }),
  );
  try {
    const mode = readPragma(db, 'journal_mode');
    if (mode !== 'wal') throw new Error(`not in WAL mode (journal mode ${String(mode)})`);
    keep(db.prepare(`PRAGMA synchronous = ${SYNCHRONOUS[init.durability]}`)).run();
    keep(db.prepare(`PRAGMA wal_autocheckpoint = ${BACKSTOP_PAGES}`)).run();
    const sql = sqliteWrites(db);
    return { db, sql, tail: await UnindexedTail.load(sql) };
  } catch (error) {
    db.close();
    throw error;
  }
}

/** The checkpointer thread, started once the log is busy; it never keeps this thread alive. */
function checkpointer(init: WriterInit) {
  let worker: Worker | null = null;
  let commits = 0;
  return {
    committed() {
      commits += 1;
      if (commits !== COMMITS_BEFORE_CHECKPOINTER) return;
      worker = new Worker(CHECKPOINT_MODULE, { workerData: init });
      worker.unref();
      // A checkpointer that fails leaves the backstop; it is not started again.
      worker.on('error', () => {});
      worker.on('exit', () => {
        worker = null;
      });
    },
    async close() {
      if (worker === null) return;
      const exited = new Promise((done) => worker?.once('exit', done));
      worker.postMessage('close');
      await exited;
    },
  };
}

/**
 * Snapshots received in parts: each part is written as it comes, in a transaction of its own
 * (a group commit waits for one part at most, not for the whole text), under a generation no
 * part has used; the snapshot's row points at its parts last, in one transaction that also
 * drops the parts it replaces. Parts of a snapshot never finished (the writer stopped, a part
 * failed) point nowhere: dropped here, and at the next writer's start.
 */
function snapshotWriter(db: Database.Database, sql: SqliteWrites) {
  if (sql.orphanParts.get() === 1) db.transaction(() => sql.deleteOrphanParts.run()).immediate();
  let nextGeneration = sql.nextPartsGeneration.get() as number;
  const receiving = new Map<number, { generation: number; count: number }>();
  const writePart = db.transaction((generation: number, part: number, text: Buffer) =>
    sql.insertSnapshotPart.run(generation, part, text),
  );
  const point = db.transaction((schemaVersion: number, position: number, generation: number) => {
    const replaced = sql.snapshotPartsGeneration.get(schemaVersion) as number | null | undefined;
    sql.saveSnapshotInParts.run(schemaVersion, position, generation);
    if (replaced !== null && replaced !== undefined) sql.deleteSnapshotParts.run(replaced);
  });
  const drop = (generation: number) => {
    try {
      db.transaction(() => sql.deleteSnapshotParts.run(generation)).immediate();
    } catch {
      // Left for the next writer's start.
    }
  };
  return {
    part(id: number, bytes: Uint8Array) {
      let snapshot = receiving.get(id);
      if (snapshot === undefined) {
        snapshot = { generation: nextGeneration++, count: 0 };
        receiving.set(id, snapshot);
      }
      const part = snapshot.count;
      snapshot.count += 1;
      // Each part is whole text (snapshot-parts.ts: none ends inside a surrogate pair).
      const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      try {
        writePart.immediate(snapshot.generation, part, text);
      } catch (error) {
        // The snapshot ends here (its sender stops at this answer): its parts go.
        receiving.delete(id);
        drop(snapshot.generation);
        throw error;
      }
    },
    finish(id: number, schemaVersion: number, position: number, parts: number) {
      const snapshot = receiving.get(id) ?? { generation: nextGeneration++, count: 0 };
      receiving.delete(id);
      try {
        if (snapshot.count !== parts || parts === 0) {
          throw new Error(`snapshot of ${parts} parts, ${snapshot.count} received`);
        }
        point.immediate(schemaVersion, position, snapshot.generation);
      } catch (error) {
        drop(snapshot.generation);
        throw error;
      }
    },
  };
}

function serve(
  db: Database.Database,
  sql: SqliteWrites,
  tail: UnindexedTail,
  init: WriterInit,
): void {
  const transaction = db.transaction((group: Parameters<typeof writeGroup>[2]) =>
    writeGroup(sql, tail, group),
  );
  const indexTail = db.transaction((write: () => void) => write());
  const checkpoints = checkpointer(init);
  const snapshots = snapshotWriter(db, sql);
  parentPort?.on('message', async (request: WriterRequest) => {
    if (request.kind === 'close') {
      try {
        await checkpoints.close();
        // The next writer then starts with nothing to read back; if this fails, it reads back.
        try {
          tail.flush(sql, (write) => indexTail.immediate(write));
        } catch {
          // Left for the next writer, which indexes what it finds past `indexed`.
        }
        db.close();
      } finally {
        parentPort?.close();
      }
      return;
    }
    try {
      if (request.kind === 'snapshot-part') {
        snapshots.part(request.snapshot, request.bytes);
        answer({ kind: 'saved', id: request.id });
        return;
      }
      if (request.kind === 'snapshot') {
        snapshots.finish(request.id, request.schemaVersion, request.position, request.parts);
        answer({ kind: 'saved', id: request.id });
        return;
      }
      const written = transaction.immediate(unpackGroup(request));
      tail.settle(written.tail);
      const plans: WirePlan[] = written.plans.map((plan) =>
        plan.kind === 'write'
          ? { kind: 'write', rows: plan.rows.length, result: plan.result }
          : {
              kind: 'conflict',
              stream: plan.error.stream,
              expected: plan.error.expected,
              actual: plan.error.actual,
            },
      );
      answer({ kind: 'committed', id: request.id, plans: packPlans(plans) });
      checkpoints.committed();
    } catch (error) {
      answer({ kind: 'error', id: request.id, error: wireError(error) });
    }
  });
}

try {
  const init = workerData as WriterInit;
  const { db, sql, tail } = await open(init);
  serve(db, sql, tail, init);
  answer({ kind: 'ready', synchronous: readPragma(db, 'synchronous') as number });
} catch (error) {
  // The opening side terminates this thread once it has the reason.
  answer({ kind: 'failed', error: wireError(error) });
}

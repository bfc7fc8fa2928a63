// The SQLite log's writer thread (a `worker_threads` worker started by sqlite-writer.ts): it owns
// the log's write connection, so a group commit, its fsync and any wait for the file's lock run
// here and never block the host's event loop. It does one request at a time, in the order sent:
// plans and writes a group in one transaction (`writeGroup`, the same code as ever), saves a
// snapshot, or closes. Every failure is answered as data; nothing here throws to the host.
import { parentPort, workerData } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { writeGroup } from './sqlite-commit.js';
import { keep, readPragma } from './sqlite-keep.js';
import { type SqliteStatements, sqliteStatements } from './sqlite-statements.js';
import {
  type WirePlan,
  type WriterInit,
  type WriterReply,
  type WriterRequest,
  wireError,
} from './sqlite-writer-protocol.js';

const SYNCHRONOUS = { full: 'FULL', normal: 'NORMAL' } as const;

function answer(reply: WriterReply): void {
  parentPort?.postMessage(reply);
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
    return { db, sql: sqliteStatements(db) };
  } catch (error) {
    db.close();
    throw error;
  }
}

function serve(db: Database.Database, sql: SqliteStatements): void {
  const transaction = db.transaction((group: Parameters<typeof writeGroup>[1]) =>
    writeGroup(sql, group),
  );
  parentPort?.on('message', (request: WriterRequest) => {
    if (request.kind === 'close') {
      db.close();
      parentPort?.close();
      return;
    }
    try {
      if (request.kind === 'snapshot') {
        sql.saveSnapshot.run(request.schemaVersion, request.position, request.state);
        answer({ kind: 'saved', id: request.id });
        return;
      }
      const plans: WirePlan[] = transaction.immediate(request.group).map((plan) =>
        plan.kind === 'write'
          ? { kind: 'write', rows: plan.rows.length, result: plan.result }
          : {
              kind: 'conflict',
              stream: plan.error.stream,
              expected: plan.error.expected,
              actual: plan.error.actual,
            },
      );
      answer({ kind: 'committed', id: request.id, plans });
    } catch (error) {
      answer({ kind: 'error', id: request.id, error: wireError(error) });
    }
  });
}

try {
  const { db, sql } = await open(workerData as WriterInit);
  serve(db, sql);
  answer({ kind: 'ready', synchronous: readPragma(db, 'synchronous') as number });
} catch (error) {
  // The opening side terminates this thread once it has the reason.
  answer({ kind: 'failed', error: wireError(error) });
}

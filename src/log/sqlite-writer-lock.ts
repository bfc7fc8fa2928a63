import { realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { LogFileError, LogInUseError } from './errors.js';

/** The writer lock of a SQLite log, held until released or the process ends. */
export interface SqliteWriterLock {
  /** The lock file: the log's real path (links resolved) with `-lock` added, beside its `-wal`. */
  readonly file: string;
  /** Hands the lock back; calling it again does nothing. */
  release(): void;
}

/**
 * Takes the writer lock of the SQLite log at `logFile`, so two supervisors never drive the same
 * file (each would act on the other's inputs: two restarts, two recordings). The lock is SQLite's
 * own exclusive lock on a small side file (`<log>-lock`), held by an open connection: the
 * operating system drops it when the process dies, even by `kill -9`, so a crash never leaves a
 * stale lock behind, and a reader (`readOnly`, the inspector, `recwatch export`) is not blocked.
 * @throws LogInUseError when another connection, in this process or another, holds it.
 * @throws LogFileError when the lock file cannot be created (a read-only folder).
 * @example
 * const lock = await lockSqliteWriter('recwatch.db');
 * try { ... } finally { lock.release(); }
 */
export async function lockSqliteWriter(logFile: string): Promise<SqliteWriterLock> {
  const { default: SqliteDatabase } = await import('better-sqlite3');
  const file = `${realPath(logFile)}-lock`;
  let db: Database.Database | undefined;
  try {
    // No busy wait: a lock held now is held by a running supervisor.
    db = new SqliteDatabase(file, { timeout: 0 });
    // In exclusive locking mode the lock taken by a write is kept until the connection closes.
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE; COMMIT');
  } catch (error) {
    db?.close();
    if ((error as { code?: unknown }).code === 'SQLITE_BUSY') throw new LogInUseError(logFile);
    const detail = error instanceof Error ? error.message : String(error);
    throw new LogFileError(logFile, `cannot take the writer lock ${file}: ${detail}`, {
      cause: error,
    });
  }
  const held = db;
  let released = false;
  return {
    file,
    release() {
      if (released) return;
      released = true;
      held.close();
    },
  };
}

// One lock per file, whatever name reaches it: a symlink or `./` spelling must meet the same lock.
function realPath(logFile: string): string {
  try {
    return realpathSync(logFile);
  } catch {
    // Not created yet: its folder may still be reached through a link.
    try {
      return join(realpathSync(dirname(logFile)), basename(logFile));
    } catch {
      return resolve(logFile);
    }
  }
}

import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  realpathSync,
  type Stats,
  statSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { LogFileError, LogInUseError } from './errors.js';
import { keep } from './sqlite-keep.js';

/** The writer lock of a SQLite log, held until released or the process ends. */
export interface SqliteWriterLock {
  /**
   * What is locked: the log file itself where the lock is a byte of it (Linux, Windows), or
   * elsewhere the side file `<log>-lock` (its real path, links resolved).
   */
  readonly file: string;
  /**
   * Throws `LogFileError` when the log's path no longer names the file the lock was taken on:
   * deleted, or replaced by another file (moved, copied over, restored from a backup). One
   * `stat` of the path, compared with the file's identity taken when it was opened: cheap enough
   * before every commit.
   */
  check(): void;
  /** Hands the lock back; calling it again does nothing. */
  release(): void;
}

// SQLite locks bytes 0x40000000..0x400001ff of a database (its pending, reserved and shared
// bytes) and keeps the page holding them free of data; the writer lock is the byte after them.
const WRITER_BYTE = 0x40000200;

/**
 * Takes the writer lock of the SQLite log at `logFile`, so two writers never drive the same log
 * (two supervisors would each act on the other's inputs: two restarts, two recordings). Where
 * the system has byte-range locks that SQLite's own do not disturb (Linux's open file description
 * locks, Windows' LockFileEx), the lock is a byte of the log file itself: it follows the file,
 * whatever name reaches it (a symlink, a hard link, another spelling of the path), and no side
 * file can be deleted to get round it. Elsewhere (macOS, whose whole-file locks would block
 * SQLite's), it is SQLite's exclusive lock on a side file `<log>-lock`. Either way the operating
 * system drops it when the process dies, even by `kill -9`, so a crash never leaves a stale lock,
 * and readers (`readOnly`, the inspector, `recwatch export`) are never blocked. Creates the log
 * file (empty) when it does not exist. `openSqliteLog` takes it for every log it opens for
 * writing; a host needs it only to guard a file it writes some other way.
 * @throws LogInUseError when another writer, in this process or another, holds it.
 * @throws LogFileError when the file cannot be opened for writing (its folder missing, a folder,
 *   no permission, a read-only file system).
 * @example
 * const lock = await lockSqliteWriter('recwatch.db');
 * try { lock.check(); ... } finally { lock.release(); }
 */
export async function lockSqliteWriter(logFile: string): Promise<SqliteWriterLock> {
  const path = resolve(logFile);
  const opened = openLogFile(logFile, path);
  if (opened.held) throw new LogInUseError(logFile);
  // Claimed before the first await: a second open in this process meanwhile is refused.
  opened.held = true;
  let file: { name: string; release(): void };
  try {
    file = byteLocks ? await lockByte(logFile, path, opened.fd) : await lockSideFile(logFile);
  } catch (error) {
    opened.held = false;
    throw error;
  }
  let released = false;
  return {
    file: file.name,
    check() {
      if (!released) checkSameFile(logFile, path, opened);
    },
    release() {
      if (released) return;
      released = true;
      file.release();
      opened.held = false;
    },
  };
}

// Linux's open file description locks and Windows' LockFileEx lock a byte range and leave
// SQLite's locks alone; macOS's are whole-file locks that would conflict with them.
const byteLocks = process.platform === 'linux' || process.platform === 'win32';

interface OpenLogFile {
  readonly fd: number;
  /** The file's device and inode, as `fstat` gave them when it was opened. */
  readonly dev: number;
  readonly ino: number;
  /** A writer of this process holds the lock. */
  held: boolean;
}

// Descriptors of log files by device and inode, open for the process's life: closing any
// descriptor of a file drops every POSIX lock the process holds on it, SQLite's own included
// (another connection's, a reader's), so a descriptor of a database is never closed. One per
// file this process ever wrote.
const openFiles = new Map<string, OpenLogFile>();

const identity = (stats: Stats) => `${stats.dev}:${stats.ino}`;

function openLogFile(logFile: string, path: string): OpenLogFile {
  const known = existing(path);
  if (known !== undefined) return known;
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDWR | constants.O_CREAT, 0o644);
  } catch (error) {
    throw openError(logFile, error);
  }
  const stats = fstatSync(fd);
  if (!stats.isFile()) {
    // Not a regular file, so no database: nothing of SQLite's can be locked on it.
    closeSync(fd);
    throw new LogFileError(logFile, 'not a regular file');
  }
  // Replaced between the two looks: the descriptor opened last stays open too (see above).
  const entry = openFiles.get(identity(stats)) ?? {
    fd,
    dev: stats.dev,
    ino: stats.ino,
    held: false,
  };
  openFiles.set(identity(stats), entry);
  return entry;
}

function existing(path: string): OpenLogFile | undefined {
  try {
    return openFiles.get(identity(statSync(path)));
  } catch {
    return undefined;
  }
}

async function lockByte(
  logFile: string,
  path: string,
  fd: number,
): Promise<{ name: string; release(): void }> {
  const { tryLock, unlock } = await import('fs-native-extensions');
  let granted: boolean;
  try {
    granted = tryLock(fd, WRITER_BYTE, 1);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new LogFileError(logFile, `cannot take the writer lock: ${detail}`, { cause: error });
  }
  if (!granted) throw new LogInUseError(logFile);
  return { name: path, release: () => unlock(fd, WRITER_BYTE, 1) };
}

// The path must still reach the very file the lock was taken on (same device and inode), and that
// file must still have a name: otherwise what is acknowledged would go where nobody reads it. One
// `stat` says both: a path that names the file is a name it still has, and its inode number
// cannot have gone to another file meanwhile, as the descriptor kept open (`openFiles`) keeps
// the file from being freed. (An `fstat` for its link count was the second call per commit.)
function checkSameFile(logFile: string, path: string, file: OpenLogFile): void {
  let named: Stats;
  try {
    named = statSync(path);
  } catch (error) {
    throw new LogFileError(logFile, `was deleted while in use; nothing more is written to it`, {
      cause: error,
    });
  }
  if (named.dev !== file.dev || named.ino !== file.ino) {
    throw new LogFileError(
      logFile,
      'was deleted or replaced by another file while in use; nothing more is written to it',
    );
  }
}

function openError(logFile: string, error: unknown): LogFileError {
  const code = (error as { code?: unknown } | null)?.code;
  // Said in full: the system's own words (no such file) would name the log, not its folder.
  if (code === 'ENOENT') return new LogFileError(logFile, 'cannot open: its folder does not exist');
  const detail = error instanceof Error ? error.message : String(error);
  const problem =
    code === 'EISDIR'
      ? 'cannot open: a folder, not a file'
      : `cannot open for writing (${String(code ?? detail)}): the file or its file system is read-only, or not ours to write`;
  return new LogFileError(logFile, problem, { cause: error });
}

// SQLite's own exclusive lock on a side file, held by an open connection.
async function lockSideFile(logFile: string): Promise<{ name: string; release(): void }> {
  const { default: SqliteDatabase } = await import('better-sqlite3');
  const file = `${realPath(logFile)}-lock`;
  let db: Database.Database | undefined;
  try {
    // No busy wait: a lock held now is held by a running writer.
    db = keep(new SqliteDatabase(file, { timeout: 0 }));
    // In exclusive locking mode the lock taken by a write is kept until the connection closes.
    keep(db.prepare('PRAGMA locking_mode = EXCLUSIVE')).run();
    db.exec('BEGIN EXCLUSIVE; COMMIT');
  } catch (error) {
    db?.close();
    if ((error as { code?: unknown }).code === 'SQLITE_BUSY') throw new LogInUseError(logFile);
    const detail = error instanceof Error ? error.message : String(error);
    throw new LogFileError(logFile, `cannot take the writer lock ${file}: ${detail}`, {
      cause: error,
    });
  }
  const connection = db;
  return { name: file, release: () => connection.close() };
}

// One lock per file, whatever name reaches it: a symlink or `./` spelling must meet the same lock.
function realPath(logFile: string): string {
  try {
    return realpathSync(logFile);
  } catch {
    try {
      return join(realpathSync(dirname(logFile)), basename(logFile));
    } catch {
      return resolve(logFile);
    }
  }
}

import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate } from 'node:timers';
import type Database from 'better-sqlite3';
import { RecwatchError } from '../errors/index.js';
import {
  checkCount,
  checkExpectedVersion,
  checkStream,
  pageRange,
  snapshotJsonText,
  streamRange,
} from './checks.js';
import { decodeEntry } from './codec.js';
import { takeGroup } from './commit-group.js';
import {
  LogClosedError,
  LogFileError,
  SnapshotUnreadableError,
  VersionConflictError,
} from './errors.js';
import { type PreparedItem, prepareItems } from './prepare-items.js';
import type { SqliteDurability } from './sqlite-durability.js';
import { keep, readPragma } from './sqlite-keep.js';
import {
  checkReadableLog,
  LEAN_SCHEMA_VERSION,
  PARTS_SCHEMA_VERSION,
  prepareSchema,
} from './sqlite-schema.js';
import { type SqliteReads, sqliteReads } from './sqlite-statements.js';
import { checkDurability, SqliteWriter } from './sqlite-writer.js';
import { lockSqliteWriter, type SqliteWriterLock } from './sqlite-writer-lock.js';
import type { WirePlan } from './sqlite-writer-protocol.js';
import type {
  AppendOptions,
  AppendResult,
  EventLog,
  ExpectedVersion,
  LogEntry,
  LogItem,
  ReadAllOptions,
  ReadStreamOptions,
  Snapshot,
} from './types.js';

/** Options of `openSqliteLog`. */
export interface SqliteLogOptions {
  /** How long a write waits for another process holding the file's lock; default 5000 ms. */
  readonly busyTimeoutMs?: number;
  /** Most items one group commit writes; the rest go in the next one. Default 10000. */
  readonly maxItemsPerCommit?: number;
  /**
   * Check every page at open (`PRAGMA quick_check`, about 1 ms per MB), so damage is reported
   * before the log is used. Default true; a host with a very large log may skip it.
   */
  readonly quickCheck?: boolean;
  /**
   * Open for reading only: the file must exist and already be a recwatch log, nothing is ever
   * written to it (no migration, no journal mode change), and it may sit in a read-only folder or
   * belong to another user. Appends and snapshots then reject with `LogFileError`. Default false.
   */
  readonly readOnly?: boolean;
  /**
   * How durable an acknowledged append is (the WAL's `synchronous` setting of the write
   * connection). `'full'` (default): fsync at every group commit, so an acknowledged append
   * survives a power loss. `'normal'`: the WAL is fsynced only at checkpoints; an acknowledged
   * append survives a crash of the process, but the last commits before a power loss or an
   * operating system crash may be lost (the file is never corrupted). Acknowledgement waits for
   * the commit either way. Ignored with `readOnly`.
   */
  readonly durability?: SqliteDurability;
}

/** Counters of a SQLite log's group commit, since it was opened. */
export interface CommitStats {
  /** Transactions committed (each one fsync). */
  readonly commits: number;
  /** Appends settled by those commits (written, repeated or in conflict). */
  readonly appends: number;
  /** Items written. */
  readonly items: number;
}

/** A SQLite event log: the `EventLog` contract, plus its file and group-commit counters. */
export interface SqliteEventLog extends EventLog {
  readonly file: string;
  /**
   * How its commits are made durable (`SqliteLogOptions.durability`), as the write connection
   * was set up; null for a log opened read-only.
   */
  readonly durability: SqliteDurability | null;
  stats(): CommitStats;
}

interface PendingAppend {
  readonly stream: string;
  readonly items: readonly PreparedItem[];
  readonly expected: ExpectedVersion;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Opens (creating or migrating) a SQLite event log in one file: WAL, `synchronous=FULL` (or
 * `NORMAL`, by `durability`), so an acknowledged append survives a crash or power loss. Commits
 * run on a writer thread of their own (`worker_threads`, sqlite-writer.ts) that owns the write
 * connection: their fsync never blocks the event loop, and an append resolves once its commit is
 * durable. Reads use a connection of the opening thread. The thread never keeps the process
 * alive once nothing is pending; `close` ends it. One writer per file: opening for writing
 * takes the file's writer lock (`lockSqliteWriter`), held until `close`, so a second writer, in
 * this process or another and under any name of the file, is refused with `LogInUseError`; a
 * file that cannot be written is refused with `LogFileError`. Every commit first checks that the
 * path still names the file opened: a log deleted or replaced under a running writer fails its
 * appends with `LogFileError` rather than acknowledging what nobody will read. Group commit: appends issued in one turn
 * of the event loop, and those that queue up while a commit runs, are written in one transaction
 * (one fsync), each checked and settled on its own. A file that is not a recwatch log, or a
 * damaged one, rejects with `LogFileError`.
 * @example
 * const log = await openSqliteLog('recwatch.db');
 * await log.append('recording-r1', [toLogItem(input, Date.now())], { expectedVersion: 'any' });
 */
export async function openSqliteLog(
  file: string,
  options: SqliteLogOptions = {},
): Promise<SqliteEventLog> {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const maxItems = options.maxItemsPerCommit ?? 10_000;
  const durability = options.durability ?? 'full';
  checkCount('busyTimeoutMs', busyTimeoutMs, 0);
  checkCount('maxItemsPerCommit', maxItems, 1);
  checkDurability(durability);
  if (options.readOnly === true) return openReadOnly(file, busyTimeoutMs, options, maxItems);
  // First the writer lock, on the file itself: it refuses a second writer, and a file that cannot
  // be written, with a typed error before SQLite touches anything.
  const lock = await lockSqliteWriter(file);
  // Loaded here, not at the top: the native addon costs nothing to hosts that never open SQLite.
  const { default: SqliteDatabase } = await import('better-sqlite3');
  let db: Database.Database | undefined;
  let writer: SqliteWriter | undefined;
  try {
    db = keep(new SqliteDatabase(file, { timeout: busyTimeoutMs }));
    prepareSchema(db, file, options.quickCheck ?? true);
    const mode = readPragma(db, 'journal_mode = WAL');
    if (mode !== 'wal') throw new LogFileError(file, `cannot use WAL (journal mode ${mode})`);
    // The writer's connection opens once the file is a log at the current schema, in WAL.
    writer = await SqliteWriter.start({ file, busyTimeoutMs, durability });
    return new SqliteLog(file, db, sqliteReads(db), maxItems, { lock, writer });
  } catch (error) {
    await writer?.close();
    db?.close();
    lock.release();
    throw asFileError(file, 'cannot open', error);
  }
}

// A reader never creates, migrates or switches journal modes. SQLite cannot open a WAL log for
// reading in a folder it cannot write to (no -shm file to share): such a log is copied, with its
// -wal file, to a private temporary folder and read there; the copy goes on close.
async function openReadOnly(
  file: string,
  busyTimeoutMs: number,
  options: SqliteLogOptions,
  maxItems: number,
): Promise<SqliteEventLog> {
  const { default: SqliteDatabase } = await import('better-sqlite3');
  const attempt = (name: string, onClose?: () => void) => {
    let db: Database.Database | undefined;
    try {
      db = keep(
        new SqliteDatabase(name, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs }),
      );
      const version = checkReadableLog(db, file, options.quickCheck ?? true);
      // An older schema is read as it is: readers never migrate a file.
      const read = sqliteReads(db, version >= LEAN_SCHEMA_VERSION, version >= PARTS_SCHEMA_VERSION);
      return new SqliteLog(file, db, read, maxItems, { onClose });
    } catch (error) {
      db?.close();
      throw error;
    }
  };
  try {
    // A clear reason for a path that is not there (SQLite only says "unable to open").
    const stat = statSync(file);
    if (stat.isDirectory()) throw new LogFileError(file, 'is a folder, not a file');
    if (!stat.isFile()) throw new LogFileError(file, 'not a regular file');
    return attempt(file);
  } catch (error) {
    if (!cannotShareWal(error)) throw asFileError(file, 'cannot open', error);
  }
  const copy = mkdtempSync(join(tmpdir(), 'recwatch-read-'));
  const remove = () => rmSync(copy, { recursive: true, force: true });
  try {
    const name = join(copy, 'log.db');
    copyFileSync(file, name);
    if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${name}-wal`);
    return attempt(name, remove);
  } catch (error) {
    remove();
    throw asFileError(file, 'cannot open', error);
  }
}

function cannotShareWal(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    code === 'SQLITE_READONLY_DIRECTORY' ||
    code === 'SQLITE_READONLY_CANTINIT' ||
    code === 'SQLITE_READONLY_RECOVERY' ||
    code === 'SQLITE_CANTOPEN'
  );
}

class SqliteLog implements SqliteEventLog {
  readonly file: string;
  readonly #db: Database.Database;
  readonly #sql: SqliteReads;
  readonly #maxItems: number;
  #queue: PendingAppend[] = [];
  #flushScheduled = false;
  /** The group commit under way on the writer thread, if any: one at a time. */
  #committing: Promise<void> | null = null;
  #closed = false;
  #closing: Promise<void> | null = null;
  #stats = { commits: 0, appends: 0, items: 0 };

  readonly #onClose: (() => void) | undefined;
  /** A writer's lock and writer thread; null for a reader. */
  readonly #lock: SqliteWriterLock | null;
  readonly #writer: SqliteWriter | null;

  constructor(
    file: string,
    db: Database.Database,
    sql: SqliteReads,
    maxItems: number,
    held: {
      readonly lock?: SqliteWriterLock;
      readonly writer?: SqliteWriter;
      readonly onClose?: () => void;
    } = {},
  ) {
    this.file = file;
    this.#onClose = held.onClose;
    this.#lock = held.lock ?? null;
    this.#writer = held.writer ?? null;
    this.#db = db;
    this.#sql = sql;
    this.#maxItems = maxItems;
  }

  get durability(): SqliteDurability | null {
    return this.#writer?.durability ?? null;
  }

  append(stream: string, items: readonly LogItem[], options: AppendOptions): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.#open();
      checkStream(stream);
      checkExpectedVersion(options?.expectedVersion);
      const prepared = prepareItems(items);
      this.#queue.push({
        stream,
        items: prepared,
        expected: options.expectedVersion,
        resolve,
        reject,
      });
      this.#scheduleFlush();
    });
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<readonly LogEntry[]> {
    this.#open();
    const { from, limit } = streamRange(stream, options);
    // SQLite reads LIMIT -1 as no limit.
    return this.#read(() => this.#sql.readStream.all({ stream, from, limit: limit ?? -1 }));
  }

  async readAll(options: ReadAllOptions = {}): Promise<readonly LogEntry[]> {
    this.#open();
    const { from, limit } = pageRange(options);
    return this.#read(() => this.#sql.readAll.all(from, limit));
  }

  async streamVersion(stream: string): Promise<number> {
    this.#open();
    checkStream(stream);
    return this.#guard('cannot read', () => this.#sql.streamVersion.get({ stream }) as number);
  }

  async saveSnapshot(snapshot: Snapshot): Promise<void> {
    this.#open();
    if (this.#writer === null) throw new LogFileError(this.file, 'cannot write: opened read-only');
    this.#lock?.check();
    // What is committed: a snapshot never covers an entry still on its way to the file.
    const head = this.#guard('cannot read', () => this.#sql.head.get() as number);
    // The text's chunks as they are: joined on the writer thread, never on the event loop.
    const state = snapshotJsonText(snapshot, head);
    await this.#writer.saveSnapshot(snapshot.schemaVersion, snapshot.position, state.chunks);
  }

  async loadSnapshot(schemaVersion: number): Promise<Snapshot | null> {
    this.#open();
    checkCount('schemaVersion', schemaVersion, 0);
    // One read transaction: the row and its parts as one commit left them.
    const read = this.#db.transaction(() => {
      const row = this.#sql.loadSnapshot.get(schemaVersion) as SnapshotRow | undefined;
      if (row === undefined) return undefined;
      const generation = row.parts_generation;
      if (generation === null || this.#sql.loadSnapshotParts === null) return row;
      // Read back whole: a host loads a snapshot once, as it starts.
      const parts = this.#sql.loadSnapshotParts.all(generation) as string[];
      return { ...row, state: parts.join('') };
    });
    const row = this.#guard('cannot read', () => read());
    if (row === undefined) return null;
    let state: unknown;
    try {
      state = JSON.parse(row.state);
    } catch {
      throw new SnapshotUnreadableError(this.file, schemaVersion);
    }
    return { position: row.position, schemaVersion, state };
  }

  close(): Promise<void> {
    this.#closing ??= this.#finish();
    return this.#closing;
  }

  async #finish(): Promise<void> {
    // Appends issued before now are finished; anything after is refused.
    this.#closed = true;
    while (this.#queue.length > 0 || this.#committing !== null) {
      if (this.#committing === null) this.#flush();
      await this.#committing;
    }
    await this.#writer?.close();
    this.#db.close();
    this.#lock?.release();
    this.#onClose?.();
  }

  stats(): CommitStats {
    return { ...this.#stats };
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    // setImmediate runs after this turn's I/O callbacks, so every append they issue joins the
    // group; taken from node:timers so a host's fake timers do not stall the log.
    setImmediate(() => {
      this.#flushScheduled = false;
      this.#flush();
    });
  }

  // One group commit at a time: appends that arrive while one is under way wait for it, then
  // go together in the next (scheduled when it settles, so appends its acknowledgements cause
  // join too).
  #flush(): void {
    if (this.#committing !== null || this.#queue.length === 0) return;
    const group = takeGroup(this.#queue, this.#maxItems);
    this.#committing = this.#commit(group).finally(() => {
      this.#committing = null;
      if (this.#queue.length > 0) this.#scheduleFlush();
    });
  }

  async #commit(group: readonly PendingAppend[]): Promise<void> {
    let plans: readonly WirePlan[];
    try {
      if (this.#writer === null)
        throw new LogFileError(this.file, 'cannot append: opened read-only');
      // Before writing: what is acknowledged must land in the file the log's path names.
      this.#lock?.check();
      // The pending appends as they are: the writer reads their stream, items and expected
      // version only (no copy of each without its callbacks).
      plans = await this.#writer.commit(group);
    } catch (error) {
      const failure = asFileError(this.file, 'cannot append', error);
      for (const pending of group) pending.reject(failure);
      return;
    }
    this.#stats.commits += 1;
    this.#stats.appends += group.length;
    group.forEach((pending, index) => {
      const plan = plans[index]!;
      if (plan.kind === 'conflict') {
        pending.reject(new VersionConflictError(plan.stream, plan.expected, plan.actual));
      } else {
        this.#stats.items += plan.rows;
        pending.resolve(plan.result);
      }
    });
  }

  #read(rows: () => unknown[]): readonly LogEntry[] {
    const read = this.#guard('cannot read', rows) as StoredRow[];
    return read.map((row) =>
      this.#guard(`unreadable entry at position ${row.position}`, () => decodeEntry(row, row.item)),
    );
  }

  #guard<T>(problem: string, action: () => T): T {
    try {
      return action();
    } catch (error) {
      throw asFileError(this.file, problem, error);
    }
  }

  #open(): void {
    if (this.#closed) throw new LogClosedError();
  }
}

interface SnapshotRow {
  readonly position: number;
  readonly state: string;
  /** The parts holding the state (schema 4 and later), or null: the state is whole. */
  readonly parts_generation: number | null;
}

interface StoredRow {
  readonly position: number;
  readonly stream: string;
  readonly version: number;
  readonly key: string;
  readonly item: string;
}

// Our own typed errors pass through; anything from SQLite or decoding is about the file.
function asFileError(file: string, problem: string, error: unknown): Error {
  if (error instanceof RecwatchError || error instanceof RangeError || error instanceof TypeError) {
    return error;
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new LogFileError(file, `${problem}: ${detail}`, { cause: error });
}

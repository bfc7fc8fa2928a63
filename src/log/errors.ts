import { RecwatchError } from '../errors/index.js';
// signals/time.ts itself, not the folder's index: the SQLite writer thread loads this module and
// the whole of signals would take tens of ms of its start.
import { MAX_TIME_MS } from '../signals/time.js';

/**
 * An append expected a stream version the stream no longer (or not yet) has: another writer got
 * there first. Re-read the stream, decide again, retry.
 */
export class VersionConflictError extends RecwatchError {
  override readonly name = 'VersionConflictError';
  readonly code = 'VERSION_CONFLICT';
  readonly stream: string;
  readonly expected: number;
  readonly actual: number;

  constructor(stream: string, expected: number, actual: number) {
    super(`stream '${stream}' is at version ${actual}, not the expected ${expected}`);
    this.stream = stream;
    this.expected = expected;
    this.actual = actual;
  }
}

/**
 * The latest snapshot of a schema version is there but its text is not JSON (a part lost, or
 * the file changed by hand): the log's entries may well be intact. `rebuildFromLog` (and so a
 * journal or supervisor opening the log) sets it aside and replays the whole log
 * (`Rebuilt.snapshotRefused`). `log` names the file, the PostgreSQL schema, or `in memory` (a
 * memory log given a `SnapshotJsonText` that is not JSON). The message never quotes the text.
 */
export class SnapshotUnreadableError extends RecwatchError {
  override readonly name = 'SnapshotUnreadableError';
  readonly code = 'SNAPSHOT_UNREADABLE';
  readonly log: string;
  readonly schemaVersion: number;

  constructor(log: string, schemaVersion: number) {
    super(
      `event log ${log}: unreadable snapshot of state version ${schemaVersion}: its text is not JSON`,
    );
    this.log = log;
    this.schemaVersion = schemaVersion;
  }
}

/**
 * The log file cannot be used: not a SQLite file, another application's database, corrupted,
 * written by a newer recwatch, or a write that failed. `file` names it; `cause` has the detail.
 */
export class LogFileError extends RecwatchError {
  override readonly name = 'LogFileError';
  readonly code = 'LOG_FILE';
  readonly file: string;

  constructor(file: string, problem: string, options?: { cause?: unknown }) {
    super(`event log ${file}: ${problem}`, options);
    this.file = file;
  }
}

/**
 * A receive time is not a time: it must be an integer count of ms since the epoch, within the
 * range of a `Date` (0 to 8.64e15). Nothing was logged.
 */
export class InvalidTimeError extends RecwatchError {
  override readonly name = 'InvalidTimeError';
  readonly code = 'INVALID_TIME';

  constructor(value: unknown) {
    super(
      `a receive time must be an integer count of ms from 0 to ${MAX_TIME_MS}, not ${String(value).slice(0, 40)}`,
    );
  }
}

/** The log was closed: nothing more can be appended or read through this handle. */
export class LogClosedError extends RecwatchError {
  override readonly name = 'LogClosedError';
  readonly code = 'LOG_CLOSED';

  constructor() {
    super('the event log is closed');
  }
}

/**
 * The PostgreSQL log cannot be used: the server cannot be reached, the schema holds something
 * else or was written by a newer recwatch, or a statement failed. `schema` names the log; the
 * message never holds the connection string (it may carry a password); `cause` has the detail.
 */
export class LogDatabaseError extends RecwatchError {
  override readonly name = 'LogDatabaseError';
  readonly code = 'LOG_DATABASE';
  readonly schema: string;

  constructor(schema: string, problem: string, options?: { cause?: unknown }) {
    super(`event log in PostgreSQL schema "${schema}": ${problem}`, options);
    this.schema = schema;
  }
}

/**
 * A fenced append or a lease renewal came from a holder whose lease is gone: it expired, or
 * another holder took it over (a newer epoch). Nothing was written; stop acting for `lease`.
 */
export class LeaseLostError extends RecwatchError {
  override readonly name = 'LeaseLostError';
  readonly code = 'LEASE_LOST';
  readonly lease: string;
  readonly epoch: number;

  constructor(lease: string, epoch: number) {
    super(`lease '${lease}' at epoch ${epoch} is no longer held (expired or taken over)`);
    this.lease = lease;
    this.epoch = epoch;
  }
}

/**
 * Log positions that must exist (before the log's head) cannot be read: the store lost entries,
 * or another writer's are not visible. The journal acted on nothing past the gap.
 * @example if (isRecwatchError(error, 'LOG_GAP')) alertOperator(error.from, error.to);
 */
export class LogGapError extends RecwatchError {
  override readonly name = 'LogGapError';
  readonly code = 'LOG_GAP';
  /** The first and last positions that could not be read. */
  readonly from: number;
  readonly to: number;

  constructor(from: number, to: number) {
    super(`log positions ${from}..${to} cannot be read`);
    this.from = from;
    this.to = to;
  }
}

/**
 * Another supervisor (in this process or another) already writes to this SQLite log: one file
 * serves one instance. Stop the other one, or run several instances on PostgreSQL
 * (docs/operations.md). `file` names the log.
 */
export class LogInUseError extends RecwatchError {
  override readonly name = 'LogInUseError';
  readonly code = 'LOG_IN_USE';
  readonly file: string;

  constructor(file: string) {
    super(
      `event log ${file} is in use by another supervisor: one SQLite file serves one instance (several instances share a PostgreSQL log)`,
    );
    this.file = file;
  }
}

export type { AllEntriesOptions } from './all-entries.js';
export { allEntries } from './all-entries.js';
export {
  InvalidTimeError,
  LeaseLostError,
  LogClosedError,
  LogDatabaseError,
  LogFileError,
  LogGapError,
  LogInUseError,
  SnapshotUnreadableError,
  VersionConflictError,
} from './errors.js';
export type { IdempotencyKeys } from './keys.js';
export { idempotencyKeys } from './keys.js';
export { createMemoryLog } from './memory-store.js';
export type { SqliteDurability } from './sqlite-durability.js';
export type { CommitStats, SqliteEventLog, SqliteLogOptions } from './sqlite-store.js';
export { openSqliteLog } from './sqlite-store.js';
export type { SqliteWriterLock } from './sqlite-writer-lock.js';
export { lockSqliteWriter } from './sqlite-writer-lock.js';
export { streamOf } from './stream-of.js';
export type { ReceivedItem } from './to-log-item.js';
export { readReceived, toLogItem } from './to-log-item.js';
export type {
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
export { SnapshotJsonText } from './types.js';

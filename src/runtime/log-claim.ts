// A SQLite log handle the host opened drives one supervisor: its store holds the file's writer
// lock against other handles and processes; this keeps one handle from being given to two.
import { type EventLog, LogInUseError } from '../log/index.js';

/** A log handle claimed by a supervisor, until released. */
export interface LogClaim {
  /** Hands the handle back; calling it again does nothing. */
  release(): void;
}

const claimed = new WeakSet<EventLog>();

/**
 * Claims a SQLite log handle (one with a `file`) for one supervisor; other logs (memory, a
 * PostgreSQL log several instances share) are not claimed and give null.
 * @throws LogInUseError when another supervisor holds the handle.
 * @example const claim = claimLog(log); ...; claim?.release();
 */
export function claimLog(log: EventLog): LogClaim | null {
  const file = (log as { file?: unknown }).file;
  if (typeof file !== 'string') return null;
  if (claimed.has(log)) throw new LogInUseError(file);
  claimed.add(log);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      claimed.delete(log);
    },
  };
}

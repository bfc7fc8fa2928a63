// A recwatch SQLite log, read without ever writing: opened read-only (never created, migrated or
// switched to WAL), as an inspector, or anyone looking, must read a log.
import { allEntries, type LogEntry, openSqliteLog } from '../log/index.js';

/**
 * Every entry of a recwatch log file, in order, one page in memory at a time. The file is
 * opened read-only and must exist; another application's database, a damaged file or a missing
 * one rejects with `LogFileError`.
 * @example for await (const entry of readLogEntries('recwatch.db')) console.log(entry.position);
 */
export async function* readLogEntries(file: string): AsyncGenerator<LogEntry, void, undefined> {
  const log = await openSqliteLog(file, { readOnly: true });
  try {
    yield* allEntries(log);
  } finally {
    await log.close();
  }
}

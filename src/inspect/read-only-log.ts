// A recwatch SQLite log, read without ever writing: opened read-only, never created, never
// migrated, never switched to WAL. What an inspector (or anyone looking) must do to a log.
import type { Database } from 'better-sqlite3';
import { decodeEntry } from '../log/codec.js';
import { LogFileError } from '../log/errors.js';
import { keep } from '../log/sqlite-keep.js';
import { LOG_APPLICATION_ID } from '../log/sqlite-schema.js';
import type { LogEntry } from '../log/types.js';

const PAGE = 5000;

/**
 * Every entry of a recwatch log file, in order, one page in memory at a time. The file is
 * opened read-only and must exist; another application's database, a damaged file or a missing
 * one rejects with `LogFileError`.
 * @example for await (const entry of readLogEntries('recwatch.db')) console.log(entry.position);
 */
export async function* readLogEntries(file: string): AsyncGenerator<LogEntry, void, undefined> {
  // Loaded here: the native addon costs nothing to hosts that never read a log.
  const { default: SqliteDatabase } = await import('better-sqlite3');
  let db: Database | undefined;
  try {
    db = keep(new SqliteDatabase(file, { readonly: true, fileMustExist: true }));
    const id = keep(db.prepare('PRAGMA application_id')).pluck().get();
    if (id !== LOG_APPLICATION_ID) {
      throw new LogFileError(file, `not a recwatch log (application_id ${String(id)})`);
    }
    const page = keep(
      db.prepare(
        'SELECT position, stream, version, key, item FROM entries WHERE position > ? ORDER BY position LIMIT ?',
      ),
    );
    for (let after = 0; ; ) {
      const rows = page.all(after, PAGE) as StoredRow[];
      for (const row of rows) yield decodeEntry(row, row.item);
      const last = rows.at(-1);
      if (last === undefined || rows.length < PAGE) return;
      after = last.position;
    }
  } catch (error) {
    if (error instanceof LogFileError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new LogFileError(file, `cannot read: ${detail}`, { cause: error });
  } finally {
    db?.close();
  }
}

interface StoredRow {
  readonly position: number;
  readonly stream: string;
  readonly version: number;
  readonly key: string;
  readonly item: string;
}

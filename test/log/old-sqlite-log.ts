// A SQLite log as recwatch wrote it before the lean log (schema 3): the DDL of schemas 1 and 2
// (they differ only in the keys they hold), frozen here as it shipped, for the migration tests.
import Database from 'better-sqlite3';
import type { LogItem } from '../../src/index.js';
import { encodeItem } from '../../src/log/codec.js';
import { keep } from '../../src/log/sqlite-keep.js';
import { LOG_APPLICATION_ID } from '../../src/log/sqlite-schema.js';

const SCHEMA_1_AND_2 = `CREATE TABLE entries (
     position INTEGER PRIMARY KEY,
     stream TEXT NOT NULL,
     version INTEGER NOT NULL,
     key TEXT NOT NULL,
     at NUMERIC NOT NULL,
     item TEXT NOT NULL,
     UNIQUE (stream, version)
   );
   CREATE TABLE entry_keys (
     key TEXT PRIMARY KEY,
     position INTEGER NOT NULL REFERENCES entries (position)
   ) WITHOUT ROWID;
   CREATE TABLE snapshots (
     schema_version INTEGER PRIMARY KEY,
     position INTEGER NOT NULL,
     state TEXT NOT NULL
   );
   CREATE TABLE recwatch_schema (version INTEGER PRIMARY KEY);`;

/** An entry of an old log: its stream, its item and the keys that log gave it. */
export interface OldEntry {
  readonly stream: string;
  readonly item: LogItem;
  readonly keys: readonly [string, ...string[]];
}

/**
 * Writes a log of schema 1 or 2 (`version`) into a new `file`, in WAL as recwatch left it: the
 * entries in order (positions from 1, versions counted per stream), each key of each entry (a
 * key already held keeps its first entry, as the old store did), and a snapshot.
 */
export function writeOldSqliteLog(
  file: string,
  version: 1 | 2,
  entries: readonly OldEntry[],
): void {
  const db = keep(new Database(file));
  try {
    db.exec(SCHEMA_1_AND_2);
    const insertEntry = keep(
      db.prepare(
        'INSERT INTO entries (position, stream, version, key, at, item) VALUES (?, ?, ?, ?, ?, ?)',
      ),
    );
    const insertKey = keep(
      db.prepare('INSERT OR IGNORE INTO entry_keys (key, position) VALUES (?, ?)'),
    );
    const versions = new Map<string, number>();
    db.transaction(() => {
      entries.forEach(({ stream, item, keys }, index) => {
        const streamVersion = (versions.get(stream) ?? 0) + 1;
        versions.set(stream, streamVersion);
        insertEntry.run(index + 1, stream, streamVersion, keys[0], item.at, encodeItem(item));
        for (const key of keys) insertKey.run(key, index + 1);
      });
      for (let step = 1; step <= version; step += 1) {
        keep(db.prepare('INSERT INTO recwatch_schema (version) VALUES (?)')).run(step);
      }
      keep(
        db.prepare('INSERT INTO snapshots (schema_version, position, state) VALUES (?, ?, ?)'),
      ).run(1, entries.length, JSON.stringify({ at: entries.length }));
    })();
    db.exec(`PRAGMA application_id = ${LOG_APPLICATION_ID}; PRAGMA journal_mode = WAL`);
  } finally {
    db.close();
  }
}

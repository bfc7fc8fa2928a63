import type { Database, Statement } from 'better-sqlite3';
import { keep } from './sqlite-keep.js';

/** The prepared statements of a SQLite log, compiled once per connection. */
export interface SqliteStatements {
  readonly head: Statement;
  readonly streamVersion: Statement;
  readonly positionOfKey: Statement;
  readonly insertEntry: Statement;
  readonly insertKey: Statement;
  readonly readStream: Statement;
  readonly readAll: Statement;
  readonly saveSnapshot: Statement;
  readonly loadSnapshot: Statement;
}

/**
 * Prepares the statements on a database whose schema is current.
 * @example const sql = sqliteStatements(db); sql.head.get() // 0 for an empty log
 */
export function sqliteStatements(db: Database): SqliteStatements {
  const columns = 'position, stream, version, key, item';
  const prepare = (sql: string) => keep(db.prepare(sql));
  return {
    head: prepare('SELECT coalesce(max(position), 0) FROM entries').pluck(),
    streamVersion: prepare(
      'SELECT coalesce(max(version), 0) FROM entries WHERE stream = ?',
    ).pluck(),
    positionOfKey: prepare('SELECT position FROM entry_keys WHERE key = ?').pluck(),
    insertEntry: prepare(
      'INSERT INTO entries (position, stream, version, key, at, item) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    insertKey: prepare('INSERT INTO entry_keys (key, position) VALUES (?, ?)'),
    readStream: prepare(
      `SELECT ${columns} FROM entries WHERE stream = ? AND version >= ? ORDER BY version LIMIT ?`,
    ),
    readAll: prepare(
      `SELECT ${columns} FROM entries WHERE position >= ? ORDER BY position LIMIT ?`,
    ),
    saveSnapshot: prepare(
      `INSERT INTO snapshots (schema_version, position, state) VALUES (?, ?, ?)
       ON CONFLICT (schema_version) DO UPDATE SET position = excluded.position, state = excluded.state`,
    ),
    loadSnapshot: prepare('SELECT position, state FROM snapshots WHERE schema_version = ?'),
  };
}

import type { Database, Statement } from 'better-sqlite3';
import { keep } from './sqlite-keep.js';

/** The statements a SQLite log reads with, compiled once per connection. */
export interface SqliteReads {
  /** The last position (0 for an empty log). */
  readonly head: Statement;
  /** `({ stream })`: the stream's version (0 for none). */
  readonly streamVersion: Statement;
  /** `({ stream, from, limit })`: entries in version order; a limit of -1 reads them all. */
  readonly readStream: Statement;
  /** `(fromPosition, limit)`: entries in position order. */
  readonly readAll: Statement;
  /** `(schemaVersion)`: `{ position, state, parts_generation }` (null: the state is whole). */
  readonly loadSnapshot: Statement;
  /** `(generation)`: the texts of a snapshot's parts, in order (schema 4 and later). */
  readonly loadSnapshotParts: Statement | null;
}

const COLUMNS = 'position, stream, version, key, item';
// Entries past `indexed` are in no index yet (the writer indexes them in batches): the tail is
// read by position from the end, at most a batch and a group of rows.
const TAIL = 'position > (SELECT position FROM indexed)';

/**
 * Prepares the read statements on a log of schema 3 or later (`lean`, the default), or on one of
 * schema 1 or 2 as it is (entries found by their `(stream, version)` index), with snapshots in
 * parts (`parts`, schema 4 and later, the default) or whole only: a reader never migrates a file.
 * @example const read = sqliteReads(db); read.head.get() // 0 for an empty log
 */
export function sqliteReads(db: Database, lean = true, parts = lean): SqliteReads {
  const prepare = (sql: string) => keep(db.prepare(sql));
  const readAll = prepare(
    `SELECT ${COLUMNS} FROM entries WHERE position >= ? ORDER BY position LIMIT ?`,
  );
  const head = prepare('SELECT coalesce(max(position), 0) FROM entries').pluck();
  const loadSnapshot = prepare(
    `SELECT position, state, ${parts ? 'parts_generation' : 'NULL AS parts_generation'}
     FROM snapshots WHERE schema_version = ?`,
  );
  const loadSnapshotParts = parts
    ? prepare('SELECT text FROM snapshot_parts WHERE generation = ? ORDER BY part').pluck()
    : null;
  if (!lean) {
    return {
      head,
      streamVersion: prepare(
        'SELECT coalesce(max(version), 0) FROM entries WHERE stream = @stream',
      ).pluck(),
      readStream: prepare(
        `SELECT ${COLUMNS} FROM entries WHERE stream = @stream AND version >= @from ORDER BY version LIMIT @limit`,
      ),
      readAll,
      loadSnapshot,
      loadSnapshotParts,
    };
  }
  return {
    head,
    // The newest entry of the tail, else the index: a stream's versions only grow.
    streamVersion: prepare(
      `SELECT coalesce(
         (SELECT version FROM entries WHERE ${TAIL} AND stream = @stream ORDER BY position DESC LIMIT 1),
         (SELECT max(version) FROM stream_entries WHERE stream = @stream),
         0)`,
    ).pluck(),
    readStream: prepare(
      `SELECT ${COLUMNS} FROM (
         SELECT e.position, e.stream, e.version, e.key, e.item
         FROM stream_entries AS s JOIN entries AS e ON e.position = s.position
         WHERE s.stream = @stream AND s.version >= @from ORDER BY s.version LIMIT @limit)
       UNION ALL
       SELECT ${COLUMNS} FROM entries WHERE ${TAIL} AND stream = @stream AND version >= @from
       ORDER BY version LIMIT @limit`,
    ),
    readAll,
    loadSnapshot,
    loadSnapshotParts,
  };
}

/** The statements of a SQLite log's writer (schema 3 or later), compiled once on its connection. */
export interface SqliteWrites {
  readonly head: Statement;
  /** The last position `stream_entries` and `entry_keys` hold (0: none). */
  readonly indexed: Statement;
  /** `(after)`: the entries past `after`, in position order, to index. */
  readonly unindexed: Statement;
  /** `(stream)`: the stream's last indexed version (0 for none). */
  readonly indexedVersion: Statement;
  /** `(key)`: the indexed position of a key, if any. */
  readonly positionOfKey: Statement;
  readonly insertEntry: Statement;
  readonly insertKey: Statement;
  readonly insertStreamEntry: Statement;
  readonly setIndexed: Statement;
  /** The first generation no snapshot part has used. */
  readonly nextPartsGeneration: Statement;
  /** `(generation, part, text as UTF-8 bytes)`. */
  readonly insertSnapshotPart: Statement;
  /** `(schemaVersion)`: the generation of the parts its snapshot points at, or null. */
  readonly snapshotPartsGeneration: Statement;
  /** `(schemaVersion, position, generation)`: a snapshot kept in the parts of `generation`. */
  readonly saveSnapshotInParts: Statement;
  /** `(generation)`. */
  readonly deleteSnapshotParts: Statement;
  /** 1 when a part is left that no snapshot points at (a writer stopped mid-snapshot), else 0. */
  readonly orphanParts: Statement;
  /** Drops the parts no snapshot points at. */
  readonly deleteOrphanParts: Statement;
}

/**
 * Prepares the writer's statements on a database whose schema is current.
 * @example const write = sqliteWrites(db); write.indexed.get() // 0 for an empty log
 */
export function sqliteWrites(db: Database): SqliteWrites {
  const prepare = (sql: string) => keep(db.prepare(sql));
  return {
    head: prepare('SELECT coalesce(max(position), 0) FROM entries').pluck(),
    indexed: prepare('SELECT position FROM indexed').pluck(),
    unindexed: prepare(
      'SELECT position, stream, version, key, item FROM entries WHERE position > ? ORDER BY position',
    ),
    indexedVersion: prepare(
      'SELECT coalesce(max(version), 0) FROM stream_entries WHERE stream = ?',
    ).pluck(),
    positionOfKey: prepare('SELECT position FROM entry_keys WHERE key = ?').pluck(),
    insertEntry: prepare(
      'INSERT INTO entries (position, stream, version, key, at, item) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    // A key stored twice keeps its first position: keys go in in position order.
    insertKey: prepare('INSERT OR IGNORE INTO entry_keys (key, position) VALUES (?, ?)'),
    insertStreamEntry: prepare(
      'INSERT INTO stream_entries (stream, version, position) VALUES (?, ?, ?)',
    ),
    setIndexed: prepare('UPDATE indexed SET position = ?'),
    // Parts come as UTF-8 bytes (sqlite-writer-thread.ts): kept as the TEXT they spell.
    nextPartsGeneration: prepare(
      'SELECT coalesce(max(generation), 0) + 1 FROM snapshot_parts',
    ).pluck(),
    insertSnapshotPart: prepare(
      'INSERT INTO snapshot_parts (generation, part, text) VALUES (?, ?, CAST(? AS TEXT))',
    ),
    snapshotPartsGeneration: prepare(
      'SELECT parts_generation FROM snapshots WHERE schema_version = ?',
    ).pluck(),
    saveSnapshotInParts: prepare(
      `INSERT INTO snapshots (schema_version, position, state, parts_generation) VALUES (?, ?, '', ?)
       ON CONFLICT (schema_version) DO UPDATE SET position = excluded.position,
         state = excluded.state, parts_generation = excluded.parts_generation`,
    ),
    deleteSnapshotParts: prepare('DELETE FROM snapshot_parts WHERE generation = ?'),
    orphanParts: prepare(
      `SELECT EXISTS (SELECT 1 FROM snapshot_parts WHERE generation NOT IN
         (SELECT parts_generation FROM snapshots WHERE parts_generation IS NOT NULL))`,
    ).pluck(),
    deleteOrphanParts: prepare(
      `DELETE FROM snapshot_parts WHERE generation NOT IN
         (SELECT parts_generation FROM snapshots WHERE parts_generation IS NOT NULL)`,
    ),
  };
}

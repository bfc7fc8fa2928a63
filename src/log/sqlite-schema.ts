import type { Database } from 'better-sqlite3';
import { LogFileError } from './errors.js';
import { keysOfStored, REKEY_PAGE, REKEYED_STREAMS } from './rekey.js';
import { keep, readPragma, readPragmaRows } from './sqlite-keep.js';

/** `PRAGMA application_id` of recwatch log files: 'RWLG' in ASCII. */
export const LOG_APPLICATION_ID = 0x52574c47;

// Each migration takes the schema one version up; the index + 1 is the version it produces: SQL,
// or a step in code where stored values must be recomputed.
const MIGRATIONS: readonly (string | ((db: Database) => void))[] = [
  `CREATE TABLE entries (
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
   );`,
  // Notification keys name the recorder uid, a noticeId counts within its sid, a reject is keyed by
  // its content (keys.ts): stored entries get the keys this recwatch computes.
  rekeyEntries,
  // The lean log: entries carry no index but their position, so a commit appends to one B-tree's
  // tail. What finds an entry by stream or by key (`stream_entries`, `entry_keys`) is written in
  // batches, every INDEX_BATCH entries (sqlite-index.ts); `indexed` says how far they reach.
  // entry_keys is rebuilt without its foreign key (better-sqlite3 enforces them, and keys are
  // now written after their entries' commits).
  `CREATE TABLE lean_entries (
     position INTEGER PRIMARY KEY,
     stream TEXT NOT NULL,
     version INTEGER NOT NULL,
     key TEXT NOT NULL,
     at NUMERIC NOT NULL,
     item TEXT NOT NULL
   );
   INSERT INTO lean_entries (position, stream, version, key, at, item)
     SELECT position, stream, version, key, at, item FROM entries ORDER BY position;
   CREATE TABLE stream_entries (
     stream TEXT NOT NULL,
     version INTEGER NOT NULL,
     position INTEGER NOT NULL,
     PRIMARY KEY (stream, version)
   ) WITHOUT ROWID;
   INSERT INTO stream_entries (stream, version, position)
     SELECT stream, version, position FROM entries ORDER BY stream, version;
   CREATE TABLE lean_keys (key TEXT PRIMARY KEY, position INTEGER NOT NULL) WITHOUT ROWID;
   INSERT INTO lean_keys (key, position) SELECT key, position FROM entry_keys ORDER BY key;
   DROP TABLE entry_keys;
   DROP TABLE entries;
   ALTER TABLE lean_entries RENAME TO entries;
   ALTER TABLE lean_keys RENAME TO entry_keys;
   CREATE TABLE indexed (one INTEGER PRIMARY KEY CHECK (one = 1), position INTEGER NOT NULL);
   INSERT INTO indexed (one, position) SELECT 1, coalesce(max(position), 0) FROM entries;`,
  // A snapshot's text in parts (about 1 MB each), each written in a short transaction of its own
  // between group commits, the snapshot's row pointing at its parts (`parts_generation`) last: a
  // 114 MB text as one value held the writer thread, and every append behind it, for most of a
  // second. A row with a null `parts_generation` holds its state whole, as before.
  `CREATE TABLE snapshot_parts (
     generation INTEGER NOT NULL,
     part INTEGER NOT NULL,
     text TEXT NOT NULL,
     PRIMARY KEY (generation, part)
   );
   ALTER TABLE snapshots ADD COLUMN parts_generation INTEGER;`,
];

/**
 * The oldest schema a reader reads as it is: version 2 changed keys, which readers never use;
 * version 3 changed how entries are found, and readers of versions 1 and 2 read those as they
 * are (sqlite-statements.ts).
 */
const OLDEST_READABLE_VERSION = 1;

/** The first schema whose indexes are written in batches (the lean log). */
export const LEAN_SCHEMA_VERSION = 3;

/** The first schema whose snapshots may be kept in parts (`snapshot_parts`). */
export const PARTS_SCHEMA_VERSION = 4;

/** The schema version this recwatch writes. */
export const LOG_SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Makes sure `db` is a recwatch log at the current schema: creates it in an empty file, migrates
 * an older one, and refuses (with `LogFileError`) another application's database, a newer schema
 * or, with `quickCheck`, a damaged file. Must run before WAL is switched on, so a foreign file is
 * refused before it is changed.
 * @example prepareSchema(new Database(file), file, true)
 */
export function prepareSchema(db: Database, file: string, quickCheck: boolean): void {
  // Reading the header first: a file that is not SQLite fails here, unchanged.
  const applicationId = readPragma(db, 'application_id') as number;
  const objects = keep(db.prepare('SELECT count(*) FROM sqlite_schema')).pluck().get() as number;
  if (applicationId !== LOG_APPLICATION_ID && !(applicationId === 0 && objects === 0)) {
    throw new LogFileError(
      file,
      `a SQLite database of another application (application_id ${applicationId}, ${objects} schema objects), not a recwatch log`,
    );
  }
  if (quickCheck) checkPages(db, file);
  const stored = storedVersion(db, file);
  // A log at the current schema is opened without writing (and fsyncing) anything.
  if (stored < LOG_SCHEMA_VERSION) db.transaction(() => migrate(db, file)).immediate();
}

/**
 * Checks, without writing anything, that `db` is a recwatch log a reader can read as it is: an
 * empty file, another application's database, a newer schema or one older than
 * `OLDEST_READABLE_VERSION` is refused with `LogFileError` (an older one is migrated by the next
 * writer, never by a reader).
 * Returns the file's schema version, which decides how it is read (`sqliteReads`).
 * @example const version = checkReadableLog(new Database(file, { readonly: true }), file, true)
 */
export function checkReadableLog(db: Database, file: string, quickCheck: boolean): number {
  const applicationId = readPragma(db, 'application_id') as number;
  if (applicationId !== LOG_APPLICATION_ID) {
    const objects = keep(db.prepare('SELECT count(*) FROM sqlite_schema')).pluck().get() as number;
    throw new LogFileError(
      file,
      objects === 0
        ? 'an empty SQLite database, not a recwatch log'
        : `a SQLite database of another application (application_id ${applicationId}, ${objects} schema objects), not a recwatch log`,
    );
  }
  if (quickCheck) checkPages(db, file);
  const stored = storedVersion(db, file);
  if (stored < OLDEST_READABLE_VERSION) {
    throw new LogFileError(
      file,
      `written with log schema ${stored}; open it once for writing to migrate it to ${LOG_SCHEMA_VERSION}`,
    );
  }
  return stored;
}

// quick_check reads every page (about 1 ms per MB): damage is found at open, not mid-replay.
function checkPages(db: Database, file: string): void {
  const found = readPragmaRows(db, 'quick_check(5)').filter((problem) => problem !== 'ok');
  if (found.length > 0) throw new LogFileError(file, `damaged: ${found.join('; ')}`);
}

// Inside the write lock: another process may have migrated the file since it was first read.
function migrate(db: Database, file: string): void {
  const current = storedVersion(db, file);
  db.exec('CREATE TABLE IF NOT EXISTS recwatch_schema (version INTEGER PRIMARY KEY)');
  const record = keep(db.prepare('INSERT INTO recwatch_schema (version) VALUES (?)'));
  for (let version = current + 1; version <= LOG_SCHEMA_VERSION; version += 1) {
    const step = MIGRATIONS[version - 1]!;
    if (typeof step === 'string') db.exec(step);
    else step(db);
    record.run(version);
  }
  db.exec(`PRAGMA application_id = ${LOG_APPLICATION_ID}`);
}

/** The schema version recorded in the file (0 for a new one); refuses a newer one. */
function storedVersion(db: Database, file: string): number {
  const table =
    "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'recwatch_schema'";
  if (keep(db.prepare(table)).pluck().get() === 0) return 0;
  const latest = keep(db.prepare('SELECT max(version) FROM recwatch_schema')).pluck().get();
  const version = (latest as number | null) ?? 0;
  if (version > LOG_SCHEMA_VERSION) {
    throw new LogFileError(
      file,
      `written with log schema ${version}; this recwatch reads up to ${LOG_SCHEMA_VERSION}`,
    );
  }
  return version;
}

// Page by page in position order; an entry whose new key an earlier one already holds (the same
// reject stored twice before) keeps no key of its own: it is a repeat of that one.
function rekeyEntries(db: Database): void {
  // Keys are found by position only here: an index for the migration's while.
  db.exec('CREATE INDEX rekey_positions ON entry_keys (position)');
  const page = keep(
    db.prepare(
      `SELECT position, item FROM entries WHERE position > ? AND ${REKEYED_STREAMS} ORDER BY position LIMIT ${REKEY_PAGE}`,
    ),
  );
  const dropKeys = keep(db.prepare('DELETE FROM entry_keys WHERE position = ?'));
  const setOwnKey = keep(db.prepare('UPDATE entries SET key = ? WHERE position = ?'));
  const addKey = keep(db.prepare('INSERT OR IGNORE INTO entry_keys (key, position) VALUES (?, ?)'));
  for (let after = 0; ; ) {
    const rows = page.all(after) as { position: number; item: string }[];
    const last = rows.at(-1);
    if (last === undefined) break;
    for (const row of rows) {
      const keys = keysOfStored(row.item);
      if (keys === null) continue;
      dropKeys.run(row.position);
      setOwnKey.run(keys[0], row.position);
      for (const key of keys) addKey.run(key, row.position);
    }
    after = last.position;
  }
  db.exec('DROP INDEX rekey_positions');
}

import type pg from 'pg';
import { ConfigurationError, RecwatchError } from '../errors/index.js';
import { LogDatabaseError } from './errors.js';
import { type CheckedOutClient, withClient } from './postgres-client.js';
import { keyHashSql } from './postgres-sql.js';
import { keysOfStored, REKEY_PAGE, REKEYED_STREAMS } from './rekey.js';

// Each migration takes the schema one version up; the index + 1 is the version it produces. `$s`
// stands for the quoted schema. Items are kept as the codec's JSON text (as in SQLite), so a log
// reads back byte for byte whichever store held it. A step in code recomputes stored values.
const MIGRATIONS: readonly (string | ((client: pg.PoolClient, quoted: string) => Promise<void>))[] =
  [
    `CREATE TABLE $s.entries (
     position bigint PRIMARY KEY,
     stream text NOT NULL,
     version integer NOT NULL,
     key text NOT NULL,
     at double precision NOT NULL,
     item text NOT NULL,
     UNIQUE (stream, version)
   );
   CREATE TABLE $s.entry_keys (
     key text PRIMARY KEY,
     position bigint NOT NULL REFERENCES $s.entries (position)
   );
   CREATE TABLE $s.snapshots (
     schema_version integer PRIMARY KEY,
     position bigint NOT NULL,
     state text NOT NULL
   );
   -- The last position, one row: writers lock it for their whole transaction (see postgres-store).
   CREATE TABLE $s.head (
     one boolean PRIMARY KEY DEFAULT true CHECK (one),
     position bigint NOT NULL
   );
   INSERT INTO $s.head (position) VALUES (0);`,
    `CREATE TABLE $s.leases (
     name text PRIMARY KEY,
     holder text NOT NULL,
     epoch bigint NOT NULL,
     expires_at bigint NOT NULL
   );
   CREATE INDEX leases_holder ON $s.leases (holder);`,
    // What a holder is about to do (a start sent to Agora), for the next holder after a take-over.
    `ALTER TABLE $s.leases ADD COLUMN note text;`,
    // Notification keys name the recorder uid, a noticeId counts within its sid, a reject is keyed by
    // its content (keys.ts): stored entries get the keys this recwatch computes.
    rekeyEntries,
    // Narrow keys: each key as a 64-bit hash of its text (KEY_HASH_SQL), so the key index holds
    // 8-byte keys, not the texts (about 80 bytes each, already in the entry or its item): a
    // smaller index, fewer pages rewritten and less WAL per input. Not unique: a hash found is
    // checked against the stored entry's keys (postgres-commit.ts), so a collision is never taken
    // for a repeat.
    `CREATE TABLE $s.key_hashes (
       hash bigint NOT NULL,
       position bigint NOT NULL,
       PRIMARY KEY (hash, position)
     );
     INSERT INTO $s.key_hashes (hash, position)
       SELECT ${keyHashSql('key')}, position FROM $s.entry_keys ORDER BY 1, 2;
     DROP TABLE $s.entry_keys;
     ALTER TABLE $s.key_hashes RENAME TO entry_keys;
     ALTER INDEX $s.key_hashes_pkey RENAME TO entry_keys_pkey;`,
    // A snapshot's text in parts (about 1 MB each, postgres-store.ts): the text of 100,000
    // recordings is over 100 MB, which as one value would be one string, and one buffer, on the
    // host's event loop. A snapshot in parts has a null `state`; one written whole keeps it there.
    `CREATE TABLE $s.snapshot_parts (
       schema_version integer NOT NULL,
       part integer NOT NULL,
       text text NOT NULL,
       PRIMARY KEY (schema_version, part)
     );
     ALTER TABLE $s.snapshots ALTER COLUMN state DROP NOT NULL;`,
  ];

/** The PostgreSQL log schema version this recwatch writes. */
export const POSTGRES_SCHEMA_VERSION = MIGRATIONS.length;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,53}$/;

/**
 * Throws a `ConfigurationError` unless `schema` is a plain lower-case identifier of at most 54 characters
 * (it is also part of the notification channel's name, which PostgreSQL caps at 63).
 * @example checkSchemaName('recwatch') // passes; checkSchemaName('Drop Table') throws
 */
export function checkSchemaName(schema: unknown): asserts schema is string {
  if (typeof schema !== 'string' || !SCHEMA_NAME.test(schema)) {
    throw new ConfigurationError(
      `a schema name must be lower-case letters, digits and _ (at most 54), not ${String(schema)}`,
    );
  }
}

/** What `migratePostgres` did: the schema version found, and the one it left. */
export interface MigrationResult {
  readonly from: number;
  readonly to: number;
}

/**
 * Creates the log's tables in `schema` (creating the schema), or brings an older one up to
 * `POSTGRES_SCHEMA_VERSION`, recording each step in `<schema>.recwatch_migrations`. Safe to run
 * again and from several processes at once (they queue on an advisory lock). Refuses, with
 * `LogDatabaseError`, a schema holding tables that are not a recwatch log, or a newer schema.
 * @example await migratePostgres(pool, 'recwatch') // { from: 0, to: 6 } the first time
 */
export async function migratePostgres(pool: pg.Pool, schema: string): Promise<MigrationResult> {
  checkSchemaName(schema);
  // A log already current is opened without taking locks or needing CREATE rights.
  try {
    const found = await storedVersion(pool, schema);
    if (found === POSTGRES_SCHEMA_VERSION) return { from: found, to: found };
    return await withClient(pool, (checkedOut) => migrate(checkedOut, schema));
  } catch (error) {
    throw asDatabaseError(schema, 'cannot migrate', error);
  }
}

async function migrate(
  { client, broken, discard }: CheckedOutClient,
  schema: string,
): Promise<MigrationResult> {
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`recwatch:${schema}`]);
    // Inside the lock: another process may have migrated it since.
    const from = await storedVersion(client, schema);
    const quoted = `"${schema}"`;
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${quoted}.recwatch_migrations (
         version integer PRIMARY KEY,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    for (let version = from + 1; version <= POSTGRES_SCHEMA_VERSION; version += 1) {
      const step = MIGRATIONS[version - 1]!;
      if (typeof step === 'string') await client.query(step.replaceAll('$s', quoted));
      else await step(client, quoted);
      await client.query(`INSERT INTO ${quoted}.recwatch_migrations (version) VALUES ($1)`, [
        version,
      ]);
    }
    await client.query('COMMIT');
    return { from, to: POSTGRES_SCHEMA_VERSION };
  } catch (error) {
    if (broken() === undefined) await client.query('ROLLBACK').catch(discard);
    throw error;
  }
}

// Under the head's lock, so no writer appends meanwhile; page by page in position order. An entry
// whose new key an earlier one already holds (the same reject stored twice before) keeps no key of
// its own: it is a repeat of that one.
async function rekeyEntries(client: pg.PoolClient, quoted: string): Promise<void> {
  await client.query(`SELECT position FROM ${quoted}.head FOR UPDATE`);
  // Keys are found by position only here: an index for the migration's while.
  await client.query(`CREATE INDEX rekey_positions ON ${quoted}.entry_keys (position)`);
  for (let after = 0; ; ) {
    const page = await client.query<{ position: string; item: string }>(
      `SELECT position, item FROM ${quoted}.entries WHERE position > $1 AND ${REKEYED_STREAMS}
       ORDER BY position LIMIT ${REKEY_PAGE}`,
      [after],
    );
    const last = page.rows.at(-1);
    if (last === undefined) break;
    const positions: string[] = [];
    const ownKeys: string[] = [];
    const keys: string[] = [];
    const keyPositions: string[] = [];
    for (const row of page.rows) {
      const computed = keysOfStored(row.item);
      if (computed === null) continue;
      positions.push(row.position);
      ownKeys.push(computed[0]);
      for (const key of computed) {
        keys.push(key);
        keyPositions.push(row.position);
      }
    }
    await client.query(`DELETE FROM ${quoted}.entry_keys WHERE position = ANY($1::bigint[])`, [
      positions,
    ]);
    await client.query(
      `UPDATE ${quoted}.entries AS e SET key = u.key
       FROM unnest($1::bigint[], $2::text[]) AS u (position, key) WHERE e.position = u.position`,
      [positions, ownKeys],
    );
    await client.query(
      `INSERT INTO ${quoted}.entry_keys (key, position)
       SELECT * FROM unnest($1::text[], $2::bigint[]) ON CONFLICT (key) DO NOTHING`,
      [keys, keyPositions],
    );
    after = Number(last.position);
  }
  await client.query(`DROP INDEX ${quoted}.rekey_positions`);
}

/**
 * The schema version recorded in `schema` (0 when there is no log there yet). Refuses a schema
 * with tables but no migrations record (not ours), and a version newer than this recwatch's.
 * @example await storedVersion(pool, 'recwatch') // 2
 */
export async function storedVersion(db: pg.Pool | pg.PoolClient, schema: string): Promise<number> {
  const tables = await db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1`,
    [schema],
  );
  const names = new Set(tables.rows.map((row) => row.name));
  if (!names.has('recwatch_migrations')) {
    if (names.size > 0) {
      throw new LogDatabaseError(
        schema,
        `the schema holds ${names.size} tables and is not a recwatch log`,
      );
    }
    return 0;
  }
  const latest = await db.query<{ version: number | null }>(
    `SELECT max(version) AS version FROM "${schema}".recwatch_migrations`,
  );
  const version = latest.rows[0]?.version ?? 0;
  if (version > POSTGRES_SCHEMA_VERSION) {
    throw new LogDatabaseError(
      schema,
      `written with log schema ${version}; this recwatch reads up to ${POSTGRES_SCHEMA_VERSION}`,
    );
  }
  return version;
}

/**
 * Our own errors and argument errors pass through; anything from the driver or the server becomes
 * a `LogDatabaseError` naming the schema and the problem.
 * @example throw asDatabaseError('recwatch', 'cannot read', error)
 */
export function asDatabaseError(schema: string, problem: string, error: unknown): Error {
  if (error instanceof RecwatchError || error instanceof RangeError || error instanceof TypeError) {
    return error;
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new LogDatabaseError(schema, `${problem}: ${detail}`, { cause: error });
}

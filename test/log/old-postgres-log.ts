// A PostgreSQL log as recwatch wrote it before narrow keys (schema 5): the DDL of schemas 1 to 4
// frozen here as it shipped (keys as text in `entry_keys`), for the migration tests.
import type pg from 'pg';
import { encodeItem } from '../../src/log/codec.js';
import type { OldEntry } from './old-sqlite-log.js';

const SCHEMA_1_TO_4 = `CREATE TABLE $s.entries (
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
   CREATE TABLE $s.head (
     one boolean PRIMARY KEY DEFAULT true CHECK (one),
     position bigint NOT NULL
   );
   CREATE TABLE $s.leases (
     name text PRIMARY KEY,
     holder text NOT NULL,
     epoch bigint NOT NULL,
     expires_at bigint NOT NULL
   );
   CREATE INDEX leases_holder ON $s.leases (holder);
   ALTER TABLE $s.leases ADD COLUMN note text;
   CREATE TABLE $s.recwatch_migrations (
     version integer PRIMARY KEY,
     applied_at timestamptz NOT NULL DEFAULT now()
   );`;

/**
 * Writes a log of schema `version` (3 or 4: the keys they held differ, the tables do not) into a
 * new `schema`: the entries in order (positions from 1, versions counted per stream), each key of
 * each entry (a key already held keeps its first entry), the head, and a snapshot.
 */
export async function writeOldPostgresLog(
  pool: pg.Pool,
  schema: string,
  version: 3 | 4,
  entries: readonly OldEntry[],
): Promise<void> {
  const s = `"${schema}"`;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`CREATE SCHEMA ${s}`);
    await client.query(SCHEMA_1_TO_4.replaceAll('$s', s));
    const versions = new Map<string, number>();
    for (const [index, { stream, item, keys }] of entries.entries()) {
      const streamVersion = (versions.get(stream) ?? 0) + 1;
      versions.set(stream, streamVersion);
      await client.query(
        `INSERT INTO ${s}.entries (position, stream, version, key, at, item) VALUES ($1, $2, $3, $4, $5, $6)`,
        [index + 1, stream, streamVersion, keys[0], item.at, encodeItem(item)],
      );
      for (const key of keys) {
        await client.query(
          `INSERT INTO ${s}.entry_keys (key, position) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
          [key, index + 1],
        );
      }
    }
    await client.query(`INSERT INTO ${s}.head (position) VALUES ($1)`, [entries.length]);
    await client.query(
      `INSERT INTO ${s}.snapshots (schema_version, position, state) VALUES (1, $1, $2)`,
      [entries.length, JSON.stringify({ at: entries.length })],
    );
    for (let step = 1; step <= version; step += 1) {
      await client.query(`INSERT INTO ${s}.recwatch_migrations (version) VALUES ($1)`, [step]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

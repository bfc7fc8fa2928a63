/** The SQL of a PostgreSQL log, for one schema (already checked by `checkSchemaName`). */
export interface PostgresStatements {
  /** The channel appends are announced on (see `notificationChannel`). */
  readonly channel: string;
  /**
   * BEGIN, a bound on how long this transaction may sit idle, then the head row locked for the
   * transaction (simple protocol, three results; the lock is the last).
   */
  readonly begin: string;
  readonly head: string;
  /**
   * `(keys text[])`: for each key whose hash the index holds, the position, the entry's own key
   * and, when that is not the key, its item (to check the key against the item's keys).
   */
  readonly positionsOfKeys: string;
  readonly streamVersions: string;
  readonly streamVersion: string;
  /** Leases (names `$1`) held at their epoch and unexpired at `$2` (null: the server's clock), locked. */
  readonly liveLeases: string;
  /** A whole group's entries, keys, new head and notification, in one statement. */
  readonly write: string;
  readonly readStream: string;
  readonly readAll: string;
  readonly saveSnapshot: string;
  readonly clearSnapshotParts: string;
  readonly saveSnapshotPart: string;
  readonly loadSnapshot: string;
}

/**
 * The SQL of an idempotency key's 64-bit hash, the key index's own key (schema 5): the first 16
 * hex digits of the md5 of its UTF-8 text, as a signed bigint. The server computes it, for a
 * lookup, an insert and the migration alike, so every writer of a log hashes the same way.
 * @example keyHashSql('key') // "('x' || left(md5(key), 16))::bit(64)::bigint"
 */
export function keyHashSql(text: string): string {
  return `('x' || left(md5(${text}), 16))::bit(64)::bigint`;
}

/**
 * The time leases are measured in, ms: the parameter `$n` when given, else the server's clock
 * (one clock for every instance, whatever their own clocks say).
 * @example nowSql(2) // 'coalesce($2::bigint, ...)'
 */
export function nowSql(parameter: number): string {
  return `coalesce($${parameter}::bigint, (extract(epoch FROM clock_timestamp()) * 1000)::bigint)`;
}

/**
 * The channel a log's appends are announced on (payload: the new head position).
 * @example notificationChannel('recwatch') // 'recwatch.recwatch'
 */
export function notificationChannel(schema: string): string {
  return `recwatch.${schema}`;
}

/**
 * The statements of the log in `schema`.
 * @example const sql = postgresStatements('recwatch'); await pool.query(sql.head)
 */
export function postgresStatements(schema: string): PostgresStatements {
  const s = `"${schema}"`;
  const columns = 'position, stream, version, key, item';
  return {
    channel: notificationChannel(schema),
    // Writers queue on the head: a client that stalls mid-transaction is cut off by the server
    // after 10 s rather than holding every other writer up.
    begin: `BEGIN; SET LOCAL idle_in_transaction_session_timeout = 10000;
      SELECT position FROM ${s}.head FOR UPDATE`,
    head: `SELECT position FROM ${s}.head`,
    positionsOfKeys: `SELECT k.key, h.position, e.key AS own,
        CASE WHEN e.key = k.key THEN NULL ELSE e.item END AS item
      FROM unnest($1::text[]) AS k (key)
      JOIN ${s}.entry_keys AS h ON h.hash = ${keyHashSql('k.key')}
      JOIN ${s}.entries AS e ON e.position = h.position`,
    // One backward index probe per stream, whatever the streams' lengths.
    streamVersions: `SELECT name AS stream, (
        SELECT version FROM ${s}.entries WHERE stream = name ORDER BY version DESC LIMIT 1
      ) AS version FROM unnest($1::text[]) AS name`,
    streamVersion: `SELECT coalesce(max(version), 0) AS version FROM ${s}.entries WHERE stream = $1`,
    liveLeases: `SELECT name, holder, epoch FROM ${s}.leases
      WHERE name = ANY($1::text[]) AND expires_at > ${nowSql(2)} FOR SHARE`,
    write: `WITH written AS (
        INSERT INTO ${s}.entries (position, stream, version, key, at, item)
        SELECT * FROM unnest($1::bigint[], $2::text[], $3::integer[], $4::text[],
          $5::double precision[], $6::text[])
      ), keyed AS (
        INSERT INTO ${s}.entry_keys (hash, position)
        SELECT ${keyHashSql('u.key')}, u.position FROM unnest($7::text[], $8::bigint[]) AS u (key, position)
        ON CONFLICT DO NOTHING
      ), moved AS (
        UPDATE ${s}.head SET position = $9
      )
      SELECT pg_notify($10, $9::text)`,
    readStream: `SELECT ${columns} FROM ${s}.entries
      WHERE stream = $1 AND version >= $2 ORDER BY version LIMIT $3`,
    readAll: `SELECT ${columns} FROM ${s}.entries WHERE position >= $1 ORDER BY position LIMIT $2`,
    // First in a snapshot's transaction: the row's lock queues a second writer of the same
    // schema version behind this one, so the parts are never two snapshots' mixed.
    saveSnapshot: `INSERT INTO ${s}.snapshots (schema_version, position, state) VALUES ($1, $2, $3)
      ON CONFLICT (schema_version) DO UPDATE SET position = excluded.position, state = excluded.state`,
    clearSnapshotParts: `DELETE FROM ${s}.snapshot_parts WHERE schema_version = $1`,
    saveSnapshotPart: `INSERT INTO ${s}.snapshot_parts (schema_version, part, text) VALUES ($1, $2, $3)`,
    // One statement, so the state and its parts are those of one committed snapshot.
    loadSnapshot: `SELECT s.position, s.state, p.text FROM ${s}.snapshots s
      LEFT JOIN ${s}.snapshot_parts p ON s.state IS NULL AND p.schema_version = s.schema_version
      WHERE s.schema_version = $1 ORDER BY p.part`,
  };
}

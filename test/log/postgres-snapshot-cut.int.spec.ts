// A PostgreSQL connection cut while a snapshot's parts are being written (pg_terminate_backend:
// what a server restart or a failover does): the store runs the snapshot's transaction again on
// another connection, from its first part, and the snapshot reads back whole.
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SnapshotJsonText } from '../../src/log/index.js';
import { snapshotParts } from '../../src/log/snapshot-parts.js';
import { openPostgresLog } from '../../src/postgres.js';
import { describePostgres, freshSchema, withApplicationName } from '../fixtures/postgres.js';
import { tick } from './items.js';

/** About 3.3 million characters (4 parts), pairs and multi-byte letters throughout. */
const text = JSON.stringify(Array.from({ length: 1200 }, (_, i) => `${i}:${'語é😀a'.repeat(550)}`));

/** The text in chunks of 1 to 99,999 characters, cut anywhere (inside pairs too). */
function chunksOf(whole: string): string[] {
  const chunks: string[] = [];
  let size = 3;
  for (let at = 0; at < whole.length; ) {
    chunks.push(whole.slice(at, at + size));
    at += size;
    size = (size * 7919 + 13) % 100_000 || 1;
  }
  return chunks;
}

describePostgres('PostgreSQL log: a connection cut in the middle of a snapshot', (url) => {
  let admin: pg.Pool;
  beforeAll(() => {
    admin = new pg.Pool({ connectionString: url, max: 3 });
    admin.on('error', () => {});
  });
  afterAll(() => admin.end());

  it('writes the snapshot again from its first part on another connection', async () => {
    const schema = freshSchema();
    const application = `snap_${schema}`;
    const log = await openPostgresLog(withApplicationName(url, application), { schema });
    try {
      await log.append('clock', [tick(1)], { expectedVersion: 0 });
      // Another session's part 2, not committed: the snapshot's own part 2 waits for it, with
      // parts 0 and 1 written in its transaction.
      const holder = await admin.connect();
      await holder.query('BEGIN');
      await holder.query(
        `INSERT INTO "${schema}".snapshot_parts (schema_version, part, text) VALUES (1, 2, 'held')`,
      );
      const saving = log.saveSnapshot({
        position: 1,
        schemaVersion: 1,
        state: new SnapshotJsonText(chunksOf(text)),
      });
      let waiting: number | undefined;
      // Each check is a round trip to the server: a wait for a state, not for an amount of time.
      while (waiting === undefined) {
        const rows = await admin.query<{ pid: number; query: string }>(
          "SELECT pid, query FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'",
          [application],
        );
        waiting = rows.rows.find((row) => row.query.includes('snapshot_parts'))?.pid;
      }
      await admin.query('SELECT pg_terminate_backend($1)', [waiting]);
      await holder.query('ROLLBACK');
      holder.release();
      await saving;
      const parts = await admin.query<{ part: number; bytes: number }>(
        `SELECT part, octet_length(text) AS bytes FROM "${schema}".snapshot_parts
         WHERE schema_version = 1 ORDER BY part`,
      );
      const written = [...snapshotParts(chunksOf(text))].length;
      expect(written).toBeGreaterThan(2);
      expect(parts.rows.map((row) => row.part)).toEqual([...Array(written).keys()]);
      expect(parts.rows.reduce((sum, row) => sum + row.bytes, 0)).toBe(Buffer.byteLength(text));
      const loaded = await log.loadSnapshot(1);
      expect(JSON.stringify(loaded?.state) === text).toBe(true);
    } finally {
      await log.close();
    }
  });
});

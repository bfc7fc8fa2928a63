import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors/index.js';
import {
  idempotencyKeys,
  SnapshotJsonText,
  SnapshotUnreadableError,
  streamOf,
} from '../../src/log/index.js';
import {
  LogDatabaseError,
  migratePostgres,
  openPostgresLog,
  POSTGRES_SCHEMA_VERSION,
} from '../../src/postgres.js';
import { describePostgres, freshSchema } from '../fixtures/postgres.js';
import { notification, tick } from './items.js';
import {
  asOldEntries,
  expectedEntries,
  mixedItems,
  readEverything,
  resentByNoticeId,
} from './mixed-items.js';
import { oldKeys, rejectedBody } from './old-keys.js';
import { writeOldPostgresLog } from './old-postgres-log.js';

const ALL_VERSIONS = Array.from({ length: POSTGRES_SCHEMA_VERSION }, (_, n) => n + 1);

describePostgres('PostgreSQL schema and migrations', (url) => {
  let pool: pg.Pool;
  beforeAll(() => {
    pool = new pg.Pool({ connectionString: url, max: 4 });
  });
  afterAll(() => pool.end());

  const versions = async (schema: string) =>
    (
      await pool.query<{ version: number }>(
        `SELECT version FROM "${schema}".recwatch_migrations ORDER BY version`,
      )
    ).rows.map((row) => row.version);

  it('creates the schema in an empty database, recording each migration', async () => {
    const schema = freshSchema();
    expect(await migratePostgres(pool, schema)).toEqual({ from: 0, to: POSTGRES_SCHEMA_VERSION });
    expect(await versions(schema)).toEqual(ALL_VERSIONS);
    const tables = await pool.query<{ name: string }>(
      'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1',
      [schema],
    );
    expect(tables.rows.map((row) => row.name)).toEqual([
      'entries',
      'entry_keys',
      'head',
      'leases',
      'recwatch_migrations',
      'snapshot_parts',
      'snapshots',
    ]);
  });

  it('is idempotent: a second run changes nothing and keeps the data', async () => {
    const schema = freshSchema();
    const log = await openPostgresLog(pool, { schema });
    await log.append('clock', [tick(1)], { expectedVersion: 0 });
    await log.close();
    expect(await migratePostgres(pool, schema)).toEqual({
      from: POSTGRES_SCHEMA_VERSION,
      to: POSTGRES_SCHEMA_VERSION,
    });
    expect(await versions(schema)).toEqual(ALL_VERSIONS);
    const reopened = await openPostgresLog(pool, { schema });
    expect(await reopened.streamVersion('clock')).toBe(1);
    await reopened.close();
  });

  it("keeps an older log's snapshot readable, and writes a large one in parts (schema 6)", async () => {
    const schema = freshSchema();
    await writeOldPostgresLog(pool, schema, 4, asOldEntries(mixedItems(3)));
    expect(await migratePostgres(pool, schema)).toMatchObject({ from: 4 });
    const log = await openPostgresLog(pool, { schema });
    const parts = async () =>
      (
        await pool.query<{ count: string }>(
          `SELECT count(*) AS count FROM "${schema}".snapshot_parts`,
        )
      ).rows[0]?.count;
    try {
      // Written whole by schema 4, read as it was.
      expect(await log.loadSnapshot(1)).toEqual({
        position: 3,
        schemaVersion: 1,
        state: { at: 3 },
      });
      // 2.5 million characters in about 1,000 chunks: written as 3 parts of about 1 MB, read back whole.
      const state = Array.from({ length: 1000 }, (_, n) => `${n}:${'x'.repeat(2490)}`);
      const chunks = JSON.stringify(state).match(/[\s\S]{1,2500}/g) ?? [];
      expect(chunks.length).toBeGreaterThan(900);
      await log.saveSnapshot({
        position: 3,
        schemaVersion: 1,
        state: new SnapshotJsonText(chunks),
      });
      expect(await parts()).toBe('3');
      expect(await log.loadSnapshot(1)).toEqual({ position: 3, schemaVersion: 1, state });
      // A small one replaces it whole, its parts gone.
      await log.saveSnapshot({ position: 2, schemaVersion: 1, state: { small: true } });
      expect(await parts()).toBe('0');
      expect(await log.loadSnapshot(1)).toEqual({
        position: 2,
        schemaVersion: 1,
        state: { small: true },
      });
    } finally {
      await log.close();
    }
  });

  it('reports a snapshot whose parts are damaged as SnapshotUnreadableError, quoting none of it', async () => {
    const schema = freshSchema();
    const log = await openPostgresLog(pool, { schema });
    try {
      await log.append('clock', [tick(1)], { expectedVersion: 0 });
      const chunks = JSON.stringify(Array.from({ length: 1000 }, () => 'y'.repeat(2490))).match(
        /[\s\S]{1,2500}/g,
      );
      await log.saveSnapshot({
        position: 1,
        schemaVersion: 1,
        state: new SnapshotJsonText(chunks ?? []),
      });
      const damaged = await pool.query(
        `UPDATE "${schema}".snapshot_parts SET text = 'secret-looking garbage' WHERE part = 0`,
      );
      expect(damaged.rowCount).toBe(1);
      const error = await log.loadSnapshot(1).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(SnapshotUnreadableError);
      expect(error).toMatchObject({ code: 'SNAPSHOT_UNREADABLE', schemaVersion: 1 });
      expect((error as Error).message).toContain(schema);
      expect((error as Error).message).not.toContain('garbage');
    } finally {
      await log.close();
    }
  });

  it('brings a schema at version 1 up to the current one', async () => {
    const schema = freshSchema();
    // What a database written by the first release looks like: no leases yet.
    await writeOldPostgresLog(pool, schema, 3, []);
    await pool.query(`DROP TABLE "${schema}".leases`);
    await pool.query(`DELETE FROM "${schema}".recwatch_migrations WHERE version >= 2`);
    expect(await migratePostgres(pool, schema)).toEqual({ from: 1, to: POSTGRES_SCHEMA_VERSION });
    const log = await openPostgresLog(pool, { schema });
    expect(await log.leases.acquire('recording-r1', 'host-a')).toMatchObject({ epoch: 1 });
    await log.close();
  });

  it('re-keys what schema 3 stored: a resend is still a repeat, a new recorder’s sequence 0 is not', async () => {
    const schema = freshSchema();
    const before = notification(1000, { eventType: 43, sid: 'S1', uid: '1001', sequence: 0 });
    const after = notification(2000, { eventType: 43, sid: 'S1', uid: '2002', sequence: 0 });
    // What a log written before schema 4 holds: the keys of then, in that schema's DDL.
    await writeOldPostgresLog(pool, schema, 3, [
      { stream: 'sid-S1', item: before, keys: oldKeys(before) as [string, ...string[]] },
      {
        stream: 'rejects',
        item: rejectedBody(1000),
        keys: oldKeys(rejectedBody(1000)) as [string, ...string[]],
      },
    ]);
    expect(await migratePostgres(pool, schema)).toEqual({ from: 3, to: POSTGRES_SCHEMA_VERSION });
    const log = await openPostgresLog(pool, { schema });
    const resent = await log.append('sid-S1', [before], { expectedVersion: 'any' });
    const failedOver = await log.append('sid-S1', [after], { expectedVersion: 'any' });
    const rejectedAgain = await log.append('rejects', [rejectedBody(61_000)], {
      expectedVersion: 'any',
    });
    expect([resent.repeated, failedOver.repeated, rejectedAgain.repeated]).toEqual([
      [true],
      [false],
      [true],
    ]);
    expect((await log.readAll()).map((entry) => entry.key)).toEqual([
      idempotencyKeys(before)[0],
      idempotencyKeys(rejectedBody(1000))[0],
      idempotencyKeys(after)[0],
    ]);
    await log.close();
  });

  it('narrows the keys of a schema 4 log (its own DDL) once, for concurrent openers: every item, key and version survives', async () => {
    const schema = freshSchema();
    const items = mixedItems(300);
    await writeOldPostgresLog(pool, schema, 4, asOldEntries(items));
    const pools = Array.from({ length: 3 }, () => new pg.Pool({ connectionString: url, max: 1 }));
    try {
      const results = await Promise.all(pools.map((each) => migratePostgres(each, schema)));
      expect(results.filter((result) => result.from === 4)).toHaveLength(1);
      expect(results.every((result) => result.to === POSTGRES_SCHEMA_VERSION)).toBe(true);
    } finally {
      await Promise.all(pools.map((each) => each.end()));
    }
    expect(await versions(schema)).toEqual(ALL_VERSIONS);
    const log = await openPostgresLog(pool, { schema });
    try {
      const expected = expectedEntries(items);
      expect(await readEverything(log)).toEqual(expected);
      for (const stream of new Set(expected.map((entry) => entry.stream))) {
        const own = expected.filter((entry) => entry.stream === stream);
        expect((await log.readStream(stream)).map((entry) => entry.position)).toEqual(
          own.map((entry) => entry.position),
        );
        expect(await log.streamVersion(stream)).toBe(own.length);
      }
      expect(await log.loadSnapshot(1)).toEqual({
        position: 300,
        schemaVersion: 1,
        state: { at: 300 },
      });
      // Every key: each item again, and each notification again under its noticeId only.
      for (const [index, item] of items.entries()) {
        const again = await log.append(streamOf(item), [item], { expectedVersion: 'any' });
        expect(again).toMatchObject({ positions: [index + 1], repeated: [true] });
        const resent = resentByNoticeId(item);
        if (resent === null) continue;
        const byNotice = await log.append(streamOf(resent), [resent], { expectedVersion: 'any' });
        expect(byNotice).toMatchObject({ positions: [index + 1], repeated: [true] });
      }
      const clock = expected.filter((entry) => entry.stream === 'clock').length;
      const next = await log.append('clock', [tick(99_999)], { expectedVersion: clock });
      expect(next).toEqual({ positions: [301], repeated: [false], version: clock + 1 });
    } finally {
      await log.close();
    }
  });

  it('never takes a key whose hash the index holds for a repeat unless the entry holds the key', async () => {
    const schema = freshSchema();
    const log = await openPostgresLog(pool, { schema });
    try {
      await log.append('clock', [tick(1)], { expectedVersion: 0 });
      const fresh = notification(2000, { eventType: 43, sid: 'S9', sequence: 1, noticeId: 'n-9' });
      // A collision, as it would look: both of the new item's key hashes pointing at the tick.
      for (const key of idempotencyKeys(fresh)) {
        await pool.query(
          `INSERT INTO "${schema}".entry_keys (hash, position)
           VALUES (('x' || left(md5($1), 16))::bit(64)::bigint, 1)`,
          [key],
        );
      }
      const appended = await log.append('sid-S9', [fresh], { expectedVersion: 0 });
      expect(appended).toEqual({ positions: [2], repeated: [false], version: 1 });
      // Its own keys are then found, and it is a repeat of itself.
      const again = await log.append('sid-S9', [fresh], { expectedVersion: 'any' });
      expect(again).toEqual({ positions: [2], repeated: [true], version: 1 });
    } finally {
      await log.close();
    }
  });

  it('lets several processes migrate one schema at once: each step runs once', async () => {
    const schema = freshSchema();
    const pools = Array.from({ length: 4 }, () => new pg.Pool({ connectionString: url, max: 1 }));
    try {
      const results = await Promise.all(pools.map((each) => migratePostgres(each, schema)));
      expect(results.filter((result) => result.from === 0)).toHaveLength(1);
      expect(results.every((result) => result.to === POSTGRES_SCHEMA_VERSION)).toBe(true);
      expect(await versions(schema)).toEqual(ALL_VERSIONS);
    } finally {
      await Promise.all(pools.map((each) => each.end()));
    }
  });

  it('refuses a schema written by a newer recwatch', async () => {
    const schema = freshSchema();
    await migratePostgres(pool, schema);
    await pool.query(`INSERT INTO "${schema}".recwatch_migrations (version) VALUES (99)`);
    const opening = openPostgresLog(pool, { schema });
    await expect(opening).rejects.toThrow(LogDatabaseError);
    await expect(opening).rejects.toThrow(
      `log schema 99; this recwatch reads up to ${POSTGRES_SCHEMA_VERSION}`,
    );
  });

  it('refuses a schema holding another application’s tables, leaving it untouched', async () => {
    const schema = freshSchema();
    await pool.query(`CREATE SCHEMA "${schema}"; CREATE TABLE "${schema}".orders (id int)`);
    await expect(migratePostgres(pool, schema)).rejects.toMatchObject({
      code: 'LOG_DATABASE',
      schema,
    });
    const tables = await pool.query(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1',
      [schema],
    );
    expect(tables.rows).toEqual([{ table_name: 'orders' }]);
  });

  describe('bad arguments and unreachable servers', () => {
    it('refuses a schema name that is not a plain identifier', async () => {
      await expect(openPostgresLog(pool, { schema: 'x"; DROP TABLE y; --' })).rejects.toThrow(
        ConfigurationError,
      );
    });

    it('reports a server that cannot be reached as LogDatabaseError, without the password', async () => {
      const opening = openPostgresLog('postgres://someone:hunter2@127.0.0.1:1/db');
      await expect(opening).rejects.toThrow(LogDatabaseError);
      await expect(opening).rejects.not.toThrow(/hunter2/);
    });
  });
});

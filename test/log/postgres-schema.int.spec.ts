import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors/index.js';
import {
  LogDatabaseError,
  migratePostgres,
  openPostgresLog,
  POSTGRES_SCHEMA_VERSION,
} from '../../src/postgres.js';
import { describePostgres, freshSchema } from '../fixtures/postgres.js';
import { tick } from './items.js';

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
    expect(await versions(schema)).toEqual([1, 2, 3]);
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
      'snapshots',
    ]);
  });

  it('is idempotent: a second run changes nothing and keeps the data', async () => {
    const schema = freshSchema();
    const log = await openPostgresLog(pool, { schema });
    await log.append('clock', [tick(1)], { expectedVersion: 0 });
    await log.close();
    expect(await migratePostgres(pool, schema)).toEqual({ from: 3, to: 3 });
    expect(await versions(schema)).toEqual([1, 2, 3]);
    const reopened = await openPostgresLog(pool, { schema });
    expect(await reopened.streamVersion('clock')).toBe(1);
    await reopened.close();
  });

  it('brings a schema at version 1 up to the current one', async () => {
    const schema = freshSchema();
    await migratePostgres(pool, schema);
    // What a database written by the first release looks like: no leases yet.
    await pool.query(`DROP TABLE "${schema}".leases`);
    await pool.query(`DELETE FROM "${schema}".recwatch_migrations WHERE version >= 2`);
    expect(await migratePostgres(pool, schema)).toEqual({ from: 1, to: 3 });
    const log = await openPostgresLog(pool, { schema });
    expect(await log.leases.acquire('recording-r1', 'host-a')).toMatchObject({ epoch: 1 });
    await log.close();
  });

  it('lets several processes migrate one schema at once: each step runs once', async () => {
    const schema = freshSchema();
    const pools = Array.from({ length: 4 }, () => new pg.Pool({ connectionString: url, max: 1 }));
    try {
      const results = await Promise.all(pools.map((each) => migratePostgres(each, schema)));
      expect(results.filter((result) => result.from === 0)).toHaveLength(1);
      expect(results.every((result) => result.to === POSTGRES_SCHEMA_VERSION)).toBe(true);
      expect(await versions(schema)).toEqual([1, 2, 3]);
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
    await expect(opening).rejects.toThrow(/log schema 99; this recwatch reads up to 3/);
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

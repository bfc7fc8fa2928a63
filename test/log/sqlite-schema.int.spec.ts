import { writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteLog } from '../../src/index.js';
import { keep, readPragma } from '../../src/log/sqlite-keep.js';
import { LOG_APPLICATION_ID, LOG_SCHEMA_VERSION } from '../../src/log/sqlite-schema.js';
import { tempDir } from '../fixtures/temp-dir.js';
import { tick } from './items.js';

describe('SQLite log schema', () => {
  let dir: ReturnType<typeof tempDir>;

  beforeEach(() => {
    dir = tempDir();
  });

  afterEach(() => dir.remove());

  function inspect(file: string) {
    const db = keep(new Database(file, { readonly: true }));
    try {
      return {
        applicationId: readPragma(db, 'application_id'),
        journalMode: readPragma(db, 'journal_mode'),
        schema: keep(db.prepare('SELECT version FROM recwatch_schema ORDER BY version'))
          .pluck()
          .all(),
        tables: keep(
          db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name"),
        )
          .pluck()
          .all(),
      };
    } finally {
      db.close();
    }
  }

  it('creates the schema in an empty file, with our application id and WAL', async () => {
    const file = dir.file('empty.db');
    writeFileSync(file, '');
    const log = await openSqliteLog(file);
    await log.append('clock', [tick(1)], { expectedVersion: 0 });
    await log.close();
    expect(inspect(file)).toEqual({
      applicationId: LOG_APPLICATION_ID,
      journalMode: 'wal',
      schema: Array.from({ length: LOG_SCHEMA_VERSION }, (_, index) => index + 1),
      tables: ['entries', 'entry_keys', 'recwatch_schema', 'snapshots'],
    });
  });

  it('creates a missing file', async () => {
    const file = dir.file('new.db');
    await (await openSqliteLog(file)).close();
    expect(inspect(file).schema).toHaveLength(LOG_SCHEMA_VERSION);
  });

  it('opens a file at the current schema again without migrating it', async () => {
    const file = dir.file('again.db');
    await (await openSqliteLog(file)).close();
    await (await openSqliteLog(file)).close();
    expect(inspect(file).schema).toHaveLength(LOG_SCHEMA_VERSION);
  });
});

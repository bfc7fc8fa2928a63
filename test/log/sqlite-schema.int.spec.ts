import { writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteLog } from '../../src/index.js';
import { idempotencyKeys } from '../../src/log/index.js';
import { keep, readPragma } from '../../src/log/sqlite-keep.js';
import { LOG_APPLICATION_ID, LOG_SCHEMA_VERSION } from '../../src/log/sqlite-schema.js';
import { tempDir } from '../fixtures/temp-dir.js';
import { notification, tick } from './items.js';
import { oldKeys, rejectedBody } from './old-keys.js';
import { writeOldSqliteLog } from './old-sqlite-log.js';

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
      tables: [
        'entries',
        'entry_keys',
        'indexed',
        'recwatch_schema',
        'snapshot_parts',
        'snapshots',
        'stream_entries',
      ],
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

describe('SQLite log schema 2: keys as fine as the core dedupe', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.remove());

  const before = notification(1000, { eventType: 43, sid: 'S1', uid: '1001', sequence: 0 });
  const after = notification(2000, { eventType: 43, sid: 'S1', uid: '2002', sequence: 0 });

  // A log as the first release wrote it: schema 1, its entries under the keys of then.
  async function logAtSchema1(file: string): Promise<void> {
    writeOldSqliteLog(file, 1, [
      { stream: 'sid-S1', item: before, keys: oldKeys(before) as [string, ...string[]] },
      {
        stream: 'rejects',
        item: rejectedBody(1000),
        keys: oldKeys(rejectedBody(1000)) as [string, ...string[]],
      },
    ]);
  }

  it('reads a schema 1 log without migrating it, and migrates it on the first open for writing', async () => {
    const file = dir.file('v1.db');
    await logAtSchema1(file);
    const reader = await openSqliteLog(file, { readOnly: true });
    expect((await reader.readAll()).map((entry) => entry.item)).toEqual([
      before,
      rejectedBody(1000),
    ]);
    await reader.close();
    const schemaOf = () => {
      const db = keep(new Database(file, { readonly: true }));
      try {
        return keep(db.prepare('SELECT max(version) FROM recwatch_schema')).pluck().get();
      } finally {
        db.close();
      }
    };
    expect(schemaOf()).toBe(1);
    await (await openSqliteLog(file)).close();
    expect(schemaOf()).toBe(LOG_SCHEMA_VERSION);
  });

  it('re-keys what schema 1 stored: a resend is still a repeat, a new recorder’s sequence 0 is not', async () => {
    const file = dir.file('v1.db');
    await logAtSchema1(file);
    const log = await openSqliteLog(file);
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
});

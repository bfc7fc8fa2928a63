import { mkdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogFileError, openSqliteLog } from '../../src/index.js';
import { keep } from '../../src/log/sqlite-keep.js';
import { LOG_APPLICATION_ID } from '../../src/log/sqlite-schema.js';
import { tempDir } from '../fixtures/temp-dir.js';
import { query } from './items.js';

describe('SQLite log files that are not usable', () => {
  let dir: ReturnType<typeof tempDir>;

  beforeEach(() => {
    dir = tempDir();
  });

  afterEach(() => dir.remove());

  async function expectFileError(file: string, problem: RegExp): Promise<void> {
    const opened = openSqliteLog(file);
    await expect(opened).rejects.toThrow(LogFileError);
    await expect(opened).rejects.toMatchObject({ file, message: expect.stringContaining(file) });
    await expect(opened).rejects.toThrow(problem);
  }

  it('reports a log whose folder does not exist as LogFileError, not a bare TypeError', async () => {
    await expectFileError(dir.file('missing-folder/recwatch.db'), /its folder does not exist/);
  });

  /** A log of `count` queries (each with a sizeable body), closed. */
  async function writtenLog(file: string, count: number): Promise<void> {
    const log = await openSqliteLog(file);
    const items = Array.from({ length: count }, (_, index) => query(index));
    await log.append('recording-r1', items, { expectedVersion: 0 });
    await log.close();
  }

  it('refuses a file that is not SQLite, leaving it as it was', async () => {
    const file = dir.file('notes.txt');
    const text = 'these are not the droids you are looking for\n'.repeat(200);
    writeFileSync(file, text);
    await expectFileError(file, /not a database/);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it("refuses another application's SQLite database, leaving it as it was", async () => {
    const file = dir.file('other.db');
    const other = keep(new Database(file));
    other.exec("CREATE TABLE customers (name TEXT); INSERT INTO customers VALUES ('ada')");
    other.close();
    const before = readFileSync(file);
    await expectFileError(file, /another application/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a SQLite database with another application id', async () => {
    const file = dir.file('tagged.db');
    const other = keep(new Database(file));
    other.exec('PRAGMA application_id = 1234');
    other.close();
    await expectFileError(file, /application_id 1234/);
  });

  it('refuses a log written with a newer schema', async () => {
    const file = dir.file('future.db');
    await writtenLog(file, 1);
    const db = keep(new Database(file));
    db.exec('INSERT INTO recwatch_schema (version) VALUES (99)');
    db.close();
    await expectFileError(file, /schema 99/);
  });

  it('refuses a log whose header is damaged', async () => {
    const file = dir.file('header.db');
    await writtenLog(file, 10);
    const bytes = readFileSync(file);
    bytes.fill(0x5a, 0, 100);
    writeFileSync(file, bytes);
    await expectFileError(file, /not a database/);
  });

  /** Opens `file` and reads it all, as a replay would. */
  async function readEverything(file: string, quickCheck: boolean): Promise<void> {
    const log = await openSqliteLog(file, { quickCheck });
    try {
      await log.readAll({ limit: 5000 });
    } finally {
      await log.close();
    }
  }

  /** A written log with every page but the first garbled: the header reads, the rest cannot. */
  async function garbledLog(file: string): Promise<void> {
    await writtenLog(file, 2000);
    const bytes = readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    expect(bytes.readUInt32BE(68)).toBe(LOG_APPLICATION_ID);
    for (let offset = pageSize; offset < bytes.length; offset += pageSize) {
      bytes.fill(0xa5, offset + 8, offset + pageSize);
    }
    writeFileSync(file, bytes);
  }

  it('refuses a log whose pages are damaged when it opens it', async () => {
    const file = dir.file('pages.db');
    await garbledLog(file);
    await expectFileError(file, /damaged/);
  });

  it('reports damaged pages as LogFileError even when the open check is skipped', async () => {
    const file = dir.file('unchecked.db');
    await garbledLog(file);
    await expect(readEverything(file, false)).rejects.toThrow(LogFileError);
    await expect(readEverything(file, false)).rejects.toThrow(file);
  });

  it('refuses a truncated log', async () => {
    const file = dir.file('short.db');
    await writtenLog(file, 2000);
    truncateSync(file, Math.floor(statSync(file).size / 2));
    await expect(readEverything(file, true)).rejects.toThrow(LogFileError);
    await expect(readEverything(file, false)).rejects.toThrow(LogFileError);
  });

  it('refuses a folder', async () => {
    const folder = dir.file('a-folder');
    mkdirSync(folder);
    await expectFileError(folder, /cannot open/);
  });
});

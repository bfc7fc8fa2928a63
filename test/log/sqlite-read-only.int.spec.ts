import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogFileError, openSqliteLog } from '../../src/index.js';
import { tempDir } from '../fixtures/temp-dir.js';
import { query } from './items.js';

describe('a SQLite log opened read-only', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.remove());

  it('never creates a file for a path that does not exist', async () => {
    const file = dir.file('nope.db');
    await expect(openSqliteLog(file, { readOnly: true })).rejects.toThrow(LogFileError);
    expect(existsSync(file)).toBe(false);
  });

  it('refuses a folder, an empty SQLite file and a non-SQLite file, changing none', async () => {
    const folder = dir.file('folder.db');
    mkdirSync(folder);
    await expect(openSqliteLog(folder, { readOnly: true })).rejects.toThrow(/is a folder/);
    const text = dir.file('notes.db');
    writeFileSync(text, 'not a log\n');
    await expect(openSqliteLog(text, { readOnly: true })).rejects.toThrow(LogFileError);
    expect(readFileSync(text, 'utf8')).toBe('not a log\n');
  });

  it('reads what a writer wrote, and refuses to append or snapshot', async () => {
    const file = dir.file('log.db');
    const writer = await openSqliteLog(file);
    await writer.append('recording-r1', [query(1), query(2)], { expectedVersion: 0 });
    await writer.close();
    const before = readFileSync(file);
    const reader = await openSqliteLog(file, { readOnly: true });
    expect((await reader.readAll()).map((entry) => entry.position)).toEqual([1, 2]);
    await expect(
      reader.append('recording-r1', [query(3)], { expectedVersion: 'any' }),
    ).rejects.toThrow(LogFileError);
    await expect(reader.saveSnapshot({ position: 2, schemaVersion: 1, state: {} })).rejects.toThrow(
      LogFileError,
    );
    await reader.close();
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});

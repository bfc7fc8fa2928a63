import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogFileError, openSqliteLog, type SqliteEventLog } from '../../src/index.js';
import { keep } from '../../src/log/sqlite-keep.js';
import { tempDir } from '../fixtures/temp-dir.js';
import { tick, ticks } from './items.js';

describe('SQLite group commit', () => {
  let dir: ReturnType<typeof tempDir>;
  let log: SqliteEventLog;

  beforeEach(async () => {
    dir = tempDir();
    log = await openSqliteLog(dir.file('log.db'));
  });

  afterEach(async () => {
    await log.close();
    dir.remove();
  });

  it('writes 100 concurrent appends in one transaction, each reported on its own', async () => {
    const appends = Array.from({ length: 100 }, (_, index) =>
      log.append(`recording-r${index % 7}`, [tick(index)], { expectedVersion: 'any' }),
    );
    const results = await Promise.all(appends);
    expect(log.stats()).toEqual({ commits: 1, appends: 100, items: 100 });
    expect(new Set(results.map((result) => result.positions[0])).size).toBe(100);
    expect(await log.readAll({ limit: 200 })).toHaveLength(100);
  });

  it('commits appends issued one after another separately', async () => {
    for (const at of [1, 2, 3]) await log.append('clock', [tick(at)], { expectedVersion: 'any' });
    expect(log.stats().commits).toBe(3);
  });

  it('settles a conflicting append in the group without failing the others', async () => {
    const outcomes = await Promise.allSettled([
      log.append('clock', [tick(1)], { expectedVersion: 0 }),
      log.append('clock', [tick(2)], { expectedVersion: 0 }),
      log.append('clock', [tick(3)], { expectedVersion: 1 }),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect(log.stats()).toEqual({ commits: 1, appends: 3, items: 2 });
  });

  it('plans each append of a group against the rows the earlier ones wrote in it', async () => {
    const [first, second, third] = await Promise.all([
      log.append('clock', [tick(1)], { expectedVersion: 0 }),
      // tick(1) is already in the group: a repeat at its position; tick(2) is new.
      log.append('other', [tick(1), tick(2)], { expectedVersion: 0 }),
      log.append('clock', [tick(3)], { expectedVersion: 1 }),
    ]);
    expect(log.stats()).toEqual({ commits: 1, appends: 3, items: 3 });
    expect(first).toEqual({ positions: [1], repeated: [false], version: 1 });
    expect(second).toEqual({ positions: [1, 2], repeated: [true, false], version: 1 });
    expect(third).toEqual({ positions: [3], repeated: [false], version: 2 });
    const entries = await log.readAll();
    expect(entries.map(({ position, stream, version }) => [position, stream, version])).toEqual([
      [1, 'clock', 1],
      [2, 'other', 1],
      [3, 'clock', 2],
    ]);
    // The next group reads what this one wrote from the table.
    await expect(log.append('other', [tick(2)], { expectedVersion: 0 })).resolves.toEqual({
      positions: [2],
      repeated: [true],
      version: 1,
    });
  });

  it('splits a group past maxItemsPerCommit', async () => {
    const small = await openSqliteLog(dir.file('small.db'), { maxItemsPerCommit: 10 });
    await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        small.append('clock', ticks(index * 5, 5), { expectedVersion: 'any' }),
      ),
    );
    expect(small.stats()).toEqual({ commits: 5, appends: 10, items: 50 });
    await small.close();
  });

  it('rejects every append of a group whose commit fails, and writes none of them', async () => {
    const file = dir.file('locked.db');
    const locked = await openSqliteLog(file, { busyTimeoutMs: 0 });
    const other = keep(new Database(file));
    other.exec('BEGIN IMMEDIATE');
    const outcomes = await Promise.allSettled([
      locked.append('clock', [tick(1)], { expectedVersion: 'any' }),
      locked.append('clock', [tick(2)], { expectedVersion: 'any' }),
    ]);
    for (const outcome of outcomes) {
      expect(outcome.status === 'rejected' && outcome.reason).toBeInstanceOf(LogFileError);
      expect(outcome.status === 'rejected' && String(outcome.reason)).toContain(file);
    }
    other.exec('ROLLBACK');
    other.close();
    expect(await locked.readAll()).toEqual([]);
    await locked.append('clock', [tick(1)], { expectedVersion: 0 });
    expect(await locked.streamVersion('clock')).toBe(1);
    await locked.close();
  });
});

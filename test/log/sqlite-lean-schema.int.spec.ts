// SQLite log schema 3, the lean log: entries indexed by position only, their stream and key
// indexes written in batches (sqlite-index.ts). A log of schema 2, written with its own DDL,
// migrates once and keeps every item, key and version; a reader reads it as it is.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type EventLog, openSqliteLog } from '../../src/index.js';
import { LogInUseError, streamOf } from '../../src/log/index.js';
import { INDEX_BATCH, INDEX_SLICE } from '../../src/log/sqlite-index.js';
import { keep } from '../../src/log/sqlite-keep.js';
import { LOG_SCHEMA_VERSION } from '../../src/log/sqlite-schema.js';
import { tempDir } from '../fixtures/temp-dir.js';
import { tick, ticks } from './items.js';
import {
  asOldEntries,
  expectedEntries,
  mixedItems,
  readEverything,
  resentByNoticeId,
} from './mixed-items.js';
import { writeOldSqliteLog } from './old-sqlite-log.js';

function fileDigest(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function inspect(file: string) {
  const db = keep(new Database(file, { readonly: true }));
  try {
    const one = (sql: string) => keep(db.prepare(sql)).pluck().get();
    return {
      schema: keep(db.prepare('SELECT version FROM recwatch_schema ORDER BY version'))
        .pluck()
        .all(),
      indexed: one("SELECT count(*) FROM sqlite_schema WHERE name = 'indexed'")
        ? one('SELECT position FROM indexed')
        : null,
      head: one('SELECT coalesce(max(position), 0) FROM entries'),
    };
  } finally {
    db.close();
  }
}

describe('SQLite log schema 3: the lean log', () => {
  let dir: ReturnType<typeof tempDir>;
  const opened: EventLog[] = [];
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(async () => {
    for (const log of opened.splice(0)) await log.close();
    dir.remove();
  });
  const open = async (file: string, options?: Parameters<typeof openSqliteLog>[1]) => {
    const log = await openSqliteLog(file, options);
    opened.push(log);
    return log;
  };

  it('migrates a schema 2 log once: every item, key, version and the snapshot survive', async () => {
    const file = dir.file('v2.db');
    const items = mixedItems(300);
    writeOldSqliteLog(file, 2, asOldEntries(items));
    const log = await open(file);
    expect(inspect(file)).toEqual({
      schema: Array.from({ length: LOG_SCHEMA_VERSION }, (_, index) => index + 1),
      indexed: 300,
      head: 300,
    });
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
  });

  it('leaves a schema 2 log as it is for a reader, which reads it all', async () => {
    const file = dir.file('v2.db');
    const items = mixedItems(60);
    writeOldSqliteLog(file, 2, asOldEntries(items));
    const before = fileDigest(file);
    const reader = await open(file, { readOnly: true });
    const expected = expectedEntries(items);
    expect(await readEverything(reader)).toEqual(expected);
    const sid = expected.filter((entry) => entry.stream === 'sid-S1');
    expect(
      (await reader.readStream('sid-S1', { fromVersion: 2, limit: 3 })).map((e) => e.position),
    ).toEqual(sid.slice(1, 4).map((entry) => entry.position));
    expect(await reader.streamVersion('sid-S1')).toBe(sid.length);
    await reader.close();
    expect(fileDigest(file)).toBe(before);
    expect(inspect(file).schema).toEqual([1, 2]);
  });

  it('migrates once when two writers open an old log at once: the second is refused', async () => {
    const file = dir.file('v2.db');
    writeOldSqliteLog(file, 2, asOldEntries(mixedItems(40)));
    const outcomes = await Promise.allSettled([open(file), open(file)]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = outcomes.find((outcome) => outcome.status === 'rejected');
    expect(refused?.status === 'rejected' && refused.reason).toBeInstanceOf(LogInUseError);
    const winner = outcomes.find((outcome) => outcome.status === 'fulfilled');
    const log = winner?.status === 'fulfilled' ? winner.value : null;
    expect(await log?.streamVersion('clock')).toBe(7);
    expect(inspect(file).schema).toEqual(
      Array.from({ length: LOG_SCHEMA_VERSION }, (_, index) => index + 1),
    );
  });

  it('indexes entries in batches: reads, versions and repeats agree either side of a batch', async () => {
    const file = dir.file('batches.db');
    const log = await open(file);
    const count = INDEX_BATCH + 300;
    const all = ticks(1, count);
    for (let from = 0; from < count; from += 256) {
      const batch = all.slice(from, from + 256);
      const stream = (from / 256) % 2 === 0 ? 'clock' : 'clock-2';
      await log.append(stream, batch, { expectedVersion: 'any' });
    }
    const { indexed, head } = inspect(file);
    expect(head).toBe(count);
    // The indexes were written (the tail's oldest slice) once the tail reached a batch; the rest
    // is the tail.
    expect(indexed).toBeGreaterThanOrEqual(INDEX_SLICE);
    expect(indexed).toBeLessThan(count);
    const clock = await log.readStream('clock');
    expect(clock.map((entry) => entry.version)).toEqual(clock.map((_, index) => index + 1));
    expect(await log.streamVersion('clock')).toBe(clock.length);
    expect(clock.length + (await log.readStream('clock-2')).length).toBe(count);
    const across = await log.readStream('clock', { fromVersion: clock.length - 300, limit: 200 });
    expect(across.map((entry) => entry.version)).toEqual(
      Array.from({ length: 200 }, (_, index) => clock.length - 300 + index),
    );
    // A repeat of an indexed entry and of one still in the tail.
    const again = await log.append('clock', [all[0]!, all[count - 1]!], { expectedVersion: 0 });
    expect(again).toMatchObject({ positions: [1, count], repeated: [true, true] });
    await log.close();
    expect(inspect(file).indexed).toBe(count);
  });

  it('indexes the tail a slice at a time, so no commit writes a whole batch of index rows', async () => {
    const file = dir.file('slices.db');
    const log = await open(file);
    const all = ticks(1, INDEX_BATCH + 16);
    // 'early' only in the oldest slice, 'late' on both sides of it.
    await log.append('early', all.slice(0, 100), { expectedVersion: 0 });
    for (let from = 100; from < INDEX_BATCH - 16; from += 256) {
      const to = Math.min(from + 256, INDEX_BATCH - 16);
      await log.append('late', all.slice(from, to), { expectedVersion: 'any' });
    }
    expect(inspect(file).indexed).toBe(0);
    // The commit that brings the tail to a batch indexes its oldest slice, not the whole tail.
    await log.append('late', all.slice(INDEX_BATCH - 16, INDEX_BATCH), { expectedVersion: 'any' });
    expect(inspect(file)).toEqual(
      expect.objectContaining({ indexed: INDEX_SLICE, head: INDEX_BATCH }),
    );
    // Versions and repeats read the same from the indexes and from what is left of the tail.
    expect(await log.streamVersion('early')).toBe(100);
    expect(await log.streamVersion('late')).toBe(INDEX_BATCH - 100);
    const again = await log.append('late', [all[INDEX_SLICE - 1]!, all[INDEX_SLICE]!], {
      expectedVersion: 'any',
    });
    expect(again).toMatchObject({
      positions: [INDEX_SLICE, INDEX_SLICE + 1],
      repeated: [true, true],
    });
    await expect(
      log.append('early', [all[INDEX_BATCH]!], { expectedVersion: 100 }),
    ).resolves.toMatchObject({ positions: [INDEX_BATCH + 1], version: 101 });
    await expect(
      log.append('late', [all[INDEX_BATCH + 1]!], { expectedVersion: INDEX_BATCH - 100 }),
    ).resolves.toMatchObject({ version: INDEX_BATCH - 99 });
    const late = await log.readStream('late');
    expect(late.map((entry) => entry.version)).toEqual(late.map((_, index) => index + 1));
    await log.close();
    expect(inspect(file).indexed).toBe(INDEX_BATCH + 2);
  });

  it('reads back the tail a writer left unindexed (killed before its batch), readers and the next writer alike', async () => {
    const file = dir.file('tail.db');
    const items = mixedItems(120);
    const first = await open(file);
    for (const item of items)
      await first.append(streamOf(item), [item], { expectedVersion: 'any' });
    await first.close();
    // As a writer killed 100 entries before its batch leaves the file: those in no index.
    const db = keep(new Database(file));
    db.exec(`DELETE FROM stream_entries WHERE position > 20; DELETE FROM entry_keys WHERE position > 20;
      UPDATE indexed SET position = 20`);
    db.close();
    const expected = expectedEntries(items);
    const reader = await open(file, { readOnly: true });
    for (const stream of ['sid-S0', 'clock', 'rejects', 'recording-r1']) {
      const own = expected.filter((entry) => entry.stream === stream);
      expect(await reader.readStream(stream)).toEqual(
        own.map((entry) => expect.objectContaining(entry)),
      );
      expect(await reader.streamVersion(stream)).toBe(own.length);
    }
    await reader.close();
    const log = await open(file);
    for (const [index, item] of items.entries()) {
      const resent = resentByNoticeId(item) ?? item;
      const again = await log.append(streamOf(resent), [resent], { expectedVersion: 'any' });
      expect(again).toMatchObject({ positions: [index + 1], repeated: [true] });
    }
    const clock = expected.filter((entry) => entry.stream === 'clock').length;
    await expect(log.append('clock', [tick(99_999)], { expectedVersion: clock })).resolves.toEqual({
      positions: [121],
      repeated: [false],
      version: clock + 1,
    });
    await log.close();
    expect(inspect(file)).toMatchObject({ indexed: 121, head: 121 });
  });
});

// SQLite log schema 4: a snapshot's text in parts of about 1 MB (`snapshot_parts`), each written
// in a transaction of its own between group commits, the snapshot's row pointing at its parts
// last; an older log's snapshot, kept whole, reads as it was.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteLog, SnapshotJsonText } from '../../src/log/index.js';
import { keep } from '../../src/log/sqlite-keep.js';
import { tempDir } from '../fixtures/temp-dir.js';
import { tick } from './items.js';
import { writeOldSqliteLog } from './old-sqlite-log.js';

/** A state whose text is about 2.5 million characters, and that text in 1,000 chunks. */
function largeState(mark: string) {
  const state = Array.from({ length: 1000 }, (_, n) => `${mark}${n}:${'x'.repeat(2490)}`);
  const text = JSON.stringify(state);
  const size = Math.ceil(text.length / 1000);
  const chunks = Array.from({ length: 1000 }, (_, n) => text.slice(n * size, (n + 1) * size));
  return { state, chunks };
}

describe('SQLite log schema 4: snapshots in parts', () => {
  let dir: ReturnType<typeof tempDir>;

  beforeEach(() => {
    dir = tempDir();
  });

  afterEach(() => dir.remove());

  const parts = (file: string) => {
    const db = keep(new Database(file, { readonly: true }));
    try {
      return keep(
        db.prepare('SELECT generation, count(*) AS count FROM snapshot_parts GROUP BY generation'),
      ).all() as { generation: number; count: number }[];
    } finally {
      db.close();
    }
  };

  it('keeps a large snapshot in parts, and drops the parts a later snapshot replaces', async () => {
    const file = dir.file('parts.db');
    const log = await openSqliteLog(file);
    await log.append('clock', [tick(1), tick(2)], { expectedVersion: 0 });
    const first = largeState('a');
    await log.saveSnapshot({
      position: 1,
      schemaVersion: 1,
      state: new SnapshotJsonText(first.chunks),
    });
    expect(parts(file)).toEqual([{ generation: 1, count: 3 }]);
    expect(await log.loadSnapshot(1)).toEqual({
      position: 1,
      schemaVersion: 1,
      state: first.state,
    });
    const second = largeState('b');
    await log.saveSnapshot({
      position: 2,
      schemaVersion: 1,
      state: new SnapshotJsonText(second.chunks),
    });
    expect(parts(file)).toEqual([{ generation: 2, count: 3 }]);
    await log.close();
    const reader = await openSqliteLog(file, { readOnly: true });
    expect(await reader.loadSnapshot(1)).toEqual({
      position: 2,
      schemaVersion: 1,
      state: second.state,
    });
    await reader.close();
  });

  it('keeps a text given whole, with pairs and multi-byte characters, byte for byte', async () => {
    const file = dir.file('pieces.db');
    const log = await openSqliteLog(file);
    await log.append('clock', [tick(1)], { expectedVersion: 0 });
    // About 1.4 million characters, one string (a part as it is): surrogate pairs, accented
    // letters (2 bytes) and CJK (3 bytes) throughout.
    const state = [
      `${'a'.repeat(65_533)}😀`,
      ...Array.from({ length: 120_000 }, (_, n) => `${n % 7 === 0 ? 'é' : '語'}😀${n}`),
    ];
    const text = JSON.stringify(state);
    expect(text.length).toBeGreaterThan(1 << 20);
    await log.saveSnapshot({ position: 1, schemaVersion: 1, state: new SnapshotJsonText(text) });
    expect(await log.loadSnapshot(1)).toEqual({ position: 1, schemaVersion: 1, state });
    await log.close();
  });

  it('drops, at the next writer, parts no snapshot points at', async () => {
    const file = dir.file('orphans.db');
    const log = await openSqliteLog(file);
    await log.saveSnapshot({ position: 0, schemaVersion: 1, state: { kept: true } });
    await log.close();
    // What a writer stopped mid-snapshot leaves: parts of a generation no row points at.
    const db = keep(new Database(file));
    keep(
      db.prepare("INSERT INTO snapshot_parts (generation, part, text) VALUES (9, 0, '[')"),
    ).run();
    db.close();
    expect(parts(file)).toContainEqual({ generation: 9, count: 1 });
    const reopened = await openSqliteLog(file);
    expect(parts(file)).toEqual([{ generation: 1, count: 1 }]);
    expect((await reopened.loadSnapshot(1))?.state).toEqual({ kept: true });
    // The next snapshot takes a generation no part left uses.
    await reopened.saveSnapshot({ position: 0, schemaVersion: 1, state: { next: true } });
    expect(parts(file)).toEqual([{ generation: 2, count: 1 }]);
    await reopened.close();
  });

  it("reads a schema 2 log's snapshot as it was, read-only and once migrated", async () => {
    const file = dir.file('old.db');
    writeOldSqliteLog(file, 2, []);
    const reader = await openSqliteLog(file, { readOnly: true });
    expect(await reader.loadSnapshot(1)).toEqual({
      position: 0,
      schemaVersion: 1,
      state: { at: 0 },
    });
    await reader.close();
    const writer = await openSqliteLog(file);
    expect(await writer.loadSnapshot(1)).toEqual({
      position: 0,
      schemaVersion: 1,
      state: { at: 0 },
    });
    await writer.close();
  });
});

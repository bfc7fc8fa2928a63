// Snapshot texts with multi-byte characters and surrogate pairs exactly where a store may cut
// them (every 64 K, every 1 MB part), given whole, in tiny chunks, in a few huge ones, in chunks of
// exactly 64 K, with empty chunks among them: each is read back as written, byte for byte, by
// every store (SQLite writer and read-only reader, PostgreSQL, memory).
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createMemoryLog,
  type EventLog,
  openSqliteLog,
  SnapshotJsonText,
} from '../../src/log/index.js';
import { keep } from '../../src/log/sqlite-keep.js';
import { openPostgresLog } from '../../src/postgres.js';
import { seededRandom } from '../../src/runtime/scheduler.js';
import { describePostgres, freshSchema } from '../fixtures/postgres.js';
import { tempDir } from '../fixtures/temp-dir.js';
import { tick } from './items.js';

const PIECE = 1 << 16;
const PART = 1 << 20;
const PAIR = '\u{1F600}';

/**
 * A JSON text `["…"]` of exactly `length` characters: the characters of `fill` (each one code
 * unit) in turn, and at each boundary `b` (a multiple of 64 K) a pair whose high half is at
 * `b + shift`.
 */
function textOf(length: number, fill: string, shift: number): string {
  const body: string[] = [];
  const end = length - 2;
  for (let at = 2; at < end; ) {
    if ((at - shift) % PIECE === 0 && at + 2 <= end) {
      body.push(PAIR);
      at += 2;
    } else {
      body.push(fill[at % fill.length] as string);
      at += 1;
    }
  }
  const text = `["${body.join('')}"]`;
  expect(text.length).toBe(length);
  return text;
}

/** A JSON text of `length` characters (odd) of pairs only, each high half at an odd index. */
function pairsOnly(length: number): string {
  const text = `["a${PAIR.repeat((length - 5) / 2)}"]`;
  expect(text.length).toBe(length);
  return text;
}

function cutEvery(text: string, size: (at: number) => number): string[] {
  const chunks: string[] = [];
  for (let at = 0; at < text.length; ) {
    const n = Math.max(1, size(at));
    chunks.push(text.slice(at, at + n));
    at += n;
  }
  return chunks;
}

/** The ways a host may hand the same text over. */
function chunkings(text: string): [string, string[]][] {
  // Seeded, so every run cuts the same.
  const next = seededRandom(text.length);
  const cuts = [1, 2, 3].map(() => Math.floor(next() * text.length)).sort((a, b) => a - b);
  const few = [0, ...cuts, text.length].slice(1).map((end, n, ends) => {
    const start = n === 0 ? 0 : (ends[n - 1] as number);
    return text.slice(start, end);
  });
  const withEmpty = cutEvery(text, () => PIECE).flatMap((chunk) => ['', chunk, '']);
  return [
    ['whole', [text]],
    ['tiny', cutEvery(text, () => 1 + Math.floor(next() * 9))],
    ['few huge', [few[0] ?? '', '', ...few.slice(1)]],
    ['exactly 64 K', cutEvery(text, () => PIECE)],
    ['64 K - 1', cutEvery(text, () => PIECE - 1)],
    ['64 K + 1', cutEvery(text, () => PIECE + 1)],
    ['with empty chunks', withEmpty],
  ];
}

const texts: [string, string][] = [
  ['pairs across every 64 K cut, 1 MB + 5', textOf(PART + 5, 'a', -1)],
  ['2-byte letters, pairs starting at every 64 K cut, 2 MB + 3', textOf(2 * PART + 3, 'é', 0)],
  ['pairs only, a high half at every cut, 2 MB + 1', pairsOnly(2 * PART + 1)],
  ['pairs only, exactly 1 MB + 1', pairsOnly(PART + 1)],
  ['3-byte letters and pairs across the cuts, 1 MB - 1', textOf(PART - 1, '語', -1)],
  ['1-, 2- and 3-byte letters, pairs across the cuts, 2 MB + 7', textOf(2 * PART + 7, '語éa', -1)],
  ['ASCII, exactly 1 MB', textOf(PART, 'ab', PART)],
];

/** The text's bytes as a store keeps them, and their count, compared with the text's. */
function sameBytes(stored: Buffer, text: string): void {
  const expected = Buffer.from(text, 'utf8');
  expect(stored.length).toBe(expected.length);
  expect(stored.equals(expected)).toBe(true);
}

async function roundTrip(log: EventLog, text: string, chunks: string[]): Promise<void> {
  await log.saveSnapshot({ position: 1, schemaVersion: 1, state: new SnapshotJsonText(chunks) });
  const loaded = await log.loadSnapshot(1);
  expect(loaded?.position).toBe(1);
  // The text is `JSON.stringify` of its value: the value read back writes it again exactly.
  expect(JSON.stringify(loaded?.state) === text).toBe(true);
}

describe('snapshot texts cut at 64 K and 1 MB: SQLite and memory', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.remove());

  const storedBytes = (file: string): Buffer => {
    const db = keep(new Database(file, { readonly: true }));
    try {
      const rows = keep(
        db.prepare(
          `SELECT CAST(p.text AS BLOB) AS bytes FROM snapshot_parts p
           JOIN snapshots s ON p.generation = s.parts_generation ORDER BY p.part`,
        ),
      ).all() as { bytes: Buffer }[];
      return Buffer.concat(rows.map((row) => row.bytes));
    } finally {
      db.close();
    }
  };

  for (const [name, text] of texts) {
    it(`keeps ${name} as written, however chunked`, async () => {
      const file = dir.file('boundaries.db');
      const log = await openSqliteLog(file);
      const memory = createMemoryLog();
      await log.append('clock', [tick(1)], { expectedVersion: 0 });
      await memory.append('clock', [tick(1)], { expectedVersion: 0 });
      for (const [how, chunks] of chunkings(text)) {
        expect(chunks.join('') === text, how).toBe(true);
        await roundTrip(log, text, chunks);
        sameBytes(storedBytes(file), text);
        await roundTrip(memory, text, chunks);
        const reader = await openSqliteLog(file, { readOnly: true });
        expect(JSON.stringify((await reader.loadSnapshot(1))?.state) === text, how).toBe(true);
        await reader.close();
      }
      await log.close();
      await memory.close();
    });
  }
});

describePostgres('snapshot texts cut at 64 K and 1 MB: PostgreSQL', (url) => {
  let admin: pg.Pool;
  beforeAll(() => {
    admin = new pg.Pool({ connectionString: url, max: 2 });
    admin.on('error', () => {});
  });
  afterAll(() => admin.end());

  const stored = async (schema: string) => {
    const row = await admin.query<{ whole: Buffer | null }>(
      `SELECT convert_to(state, 'UTF8') AS whole FROM "${schema}".snapshots WHERE schema_version = 1`,
    );
    const parts = await admin.query<{ bytes: Buffer }>(
      `SELECT convert_to(text, 'UTF8') AS bytes FROM "${schema}".snapshot_parts
       WHERE schema_version = 1 ORDER BY part`,
    );
    return { whole: row.rows[0]?.whole ?? null, parts: parts.rows.map((part) => part.bytes) };
  };

  for (const [name, text] of texts) {
    it(`keeps ${name} as written, however chunked`, async () => {
      const schema = freshSchema();
      const log = await openPostgresLog(url, { schema });
      try {
        await log.append('clock', [tick(1)], { expectedVersion: 0 });
        for (const [how, chunks] of chunkings(text)) {
          await roundTrip(log, text, chunks);
          const { whole, parts } = await stored(schema);
          // At most 1 MB stays whole in its row; more is in parts only.
          if (text.length <= PART) {
            expect(parts, how).toEqual([]);
            sameBytes(whole as Buffer, text);
          } else {
            expect(whole, how).toBeNull();
            expect(parts.length, how).toBeGreaterThan(0);
            sameBytes(Buffer.concat(parts), text);
          }
        }
      } finally {
        await log.close();
      }
    });
  }
});

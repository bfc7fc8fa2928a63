// Durable ingest into the SQLite log: the store's group commit (WAL, synchronous=FULL), 64
// appenders each appending one input at a time as webhook requests do, against SQLite's own CPU
// bound for the same items: a bare INSERT loop with synchronous=OFF in one transaction. Between
// the two, the store's own rows written straight into its schema, 64 per commit, with and without
// fsync: where the distance from the bound goes (small commits, the schema's indexes, fsync, JS).
import Database from 'better-sqlite3';
import type { NewEntry } from '../src/log/append-plan.js';
import type { LogItem } from '../src/log/index.js';
import { openSqliteLog } from '../src/log/index.js';
import { prepareItems } from '../src/log/prepare-items.js';
import { keep } from '../src/log/sqlite-keep.js';
import { tempDir } from '../test/fixtures/temp-dir.js';
import { notification } from './log.bench.js';
import { interleave, judgeRatio, round, type SuiteContext, type SuiteResult } from './row.js';

const APPENDERS = 64;

function bareTable(file: string, synchronous: 'OFF' | 'FULL') {
  const db = keep(new Database(file));
  db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${synchronous}`);
  db.exec('CREATE TABLE inputs (position INTEGER PRIMARY KEY, stream TEXT NOT NULL, item TEXT)');
  return { db, insert: keep(db.prepare('INSERT INTO inputs (stream, item) VALUES (?, ?)')) };
}

/** SQLite's CPU bound: every item encoded and inserted in one transaction, synchronous=OFF. */
function bareInsertLoop(file: string, items: readonly LogItem[]): void {
  const { db, insert } = bareTable(file, 'OFF');
  db.transaction(() => {
    items.forEach((item, n) => {
      insert.run(`recording-r${n % APPENDERS}`, JSON.stringify(item));
    });
  })();
  db.close();
}

/** One autocommit INSERT per input (one fsync each), WAL, synchronous=FULL: `count` of them. */
function commitPerInput(file: string, items: readonly LogItem[]): void {
  const { db, insert } = bareTable(file, 'FULL');
  items.forEach((item, n) => {
    insert.run(`recording-r${n % APPENDERS}`, JSON.stringify(item));
  });
  db.close();
}

/** The store's rows of `items`, as its group commit writes them (positions, versions, keys). */
function storeRows(items: readonly LogItem[]): NewEntry[] {
  return prepareItems(items).map((item, n) => ({
    position: n + 1,
    stream: `recording-r${n % APPENDERS}`,
    version: Math.floor(n / APPENDERS) + 1,
    ...item,
  }));
}

/**
 * The store's rows inserted straight into its schema (entries and their keys, no lookups, no JS
 * around them), `APPENDERS` rows per transaction as the group commit gets them: SQLite's own cost
 * of this schema in small commits, with fsync (`FULL`) or without (`OFF`).
 */
async function schemaWrites(file: string, rows: readonly NewEntry[], synchronous: 'OFF' | 'FULL') {
  await (await openSqliteLog(file)).close();
  const db = keep(new Database(file));
  db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${synchronous}`);
  const entry = keep(
    db.prepare(
      'INSERT INTO entries (position, stream, version, key, at, item) VALUES (?, ?, ?, ?, ?, ?)',
    ),
  );
  const key = keep(db.prepare('INSERT INTO entry_keys (key, position) VALUES (?, ?)'));
  const commit = db.transaction((group: readonly NewEntry[]) => {
    for (const row of group) {
      entry.run(row.position, row.stream, row.version, row.keys[0], row.at, row.text);
      for (const each of row.keys) key.run(each, row.position);
    }
  });
  for (let at = 0; at < rows.length; at += APPENDERS)
    commit.immediate(rows.slice(at, at + APPENDERS));
  db.close();
}

/** The store: `APPENDERS` concurrent appenders, one input per append, sharing group commits. */
async function groupCommit(file: string, items: readonly LogItem[]) {
  const log = await openSqliteLog(file);
  let next = 0;
  const appender = async (stream: string) => {
    let version = 0;
    while (next < items.length) {
      const item = items[next++] as LogItem;
      version = (await log.append(stream, [item], { expectedVersion: version })).version;
    }
  };
  await Promise.all(Array.from({ length: APPENDERS }, (_, n) => appender(`recording-r${n}`)));
  const stats = log.stats();
  await log.close();
  return stats;
}

/** The `ingest-sqlite` row. */
export async function runIngestBench(context: SuiteContext): Promise<SuiteResult> {
  const count = context.tiny ? 2_000 : 100_000;
  // One commit per input is slow (an fsync each): a tenth of the items is enough to time it.
  const perInputCount = Math.max(500, Math.floor(count / 10));
  const items = Array.from({ length: count }, (_, n) => notification(n));
  const rows = storeRows(items.map((_, n) => notification(n)));
  const dir = tempDir('recwatch-bench-ingest-');
  let sample = 0;
  const file = (name: string) => dir.file(`${name}-${sample++}.db`);
  let stats = { commits: 0, appends: 0, items: 0 };
  try {
    const ms = await interleave(
      {
        groupCommit: async () => {
          stats = await groupCommit(file('group'), items);
        },
        bareInsert: () => bareInsertLoop(file('bare'), items),
        schemaFull: () => schemaWrites(file('schema-full'), rows, 'FULL'),
        schemaOff: () => schemaWrites(file('schema-off'), rows, 'OFF'),
        commitPerInput: () => commitPerInput(file('per-input'), items.slice(0, perInputCount)),
      },
      context.tiny ? 1 : 3,
    );
    const rate = (n: number, time: number) => Math.round((n / time) * 1000);
    const ours = rate(count, ms.groupCommit);
    const bound = rate(count, ms.bareInsert);
    const perInput = rate(perInputCount, ms.commitPerInput);
    const schemaFull = rate(count, ms.schemaFull);
    const ratio = round(ours / bound);
    const sqlite = keep(new Database(':memory:'));
    const version = keep(sqlite.prepare('SELECT sqlite_version()')).pluck().get();
    sqlite.close();
    return {
      rows: [
        {
          row: 'ingest-sqlite',
          what: `openSqliteLog (WAL, synchronous=FULL), ${APPENDERS} appenders, one input per append, group commit, vs a bare INSERT loop of the same items (synchronous=OFF, one transaction)`,
          figures: {
            sqlite: version,
            inputs: count,
            ms: round(ms.groupCommit),
            inputsPerSecond: ours,
            commits: stats.commits,
            inputsPerCommit: round(stats.items / Math.max(1, stats.commits)),
            vsOneCommitPerInput: round(ours / perInput),
            vsSchemaWritesFull: round(ours / schemaFull),
          },
          baseline: {
            what: 'bare INSERT loop, JSON.stringify per item, synchronous=OFF, one transaction',
            ms: round(ms.bareInsert),
            inputsPerSecond: bound,
            schemaWrites: {
              what: `the store's rows (entries and keys) inserted straight into its schema, ${APPENDERS} per commit, WAL; no lookups, no JS around them`,
              full: { ms: round(ms.schemaFull), inputsPerSecond: schemaFull },
              off: { ms: round(ms.schemaOff), inputsPerSecond: rate(count, ms.schemaOff) },
              fullVsBound: round(schemaFull / bound),
            },
            oneCommitPerInput: {
              what: 'autocommit INSERT per input, WAL, synchronous=FULL',
              inputs: perInputCount,
              ms: round(ms.commitPerInput),
              inputsPerSecond: perInput,
            },
          },
          ratio,
          ...judgeRatio(ratio, 0.7),
        },
      ],
    };
  } finally {
    dir.remove();
  }
}

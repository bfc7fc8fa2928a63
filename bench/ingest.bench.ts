// Durable ingest into the SQLite log: the store's group commit, 64 appenders each appending one
// input at a time as webhook requests do, against a bare table fed the same items with the same
// grouping (64 inputs per commit) and the same durability (WAL, synchronous=FULL; and NORMAL
// against the store's durability 'normal'). Kept from the former row, so the history reads:
// SQLite's CPU bound (a bare INSERT loop, synchronous=OFF, one transaction), and between the two
// the store's own rows written straight into its schema, 64 per commit, with and without fsync:
// where the distance goes (small commits, the schema's indexes, fsync, JS).
import Database from 'better-sqlite3';
import type { NewEntry } from '../src/log/append-plan.js';
import type { LogItem, SqliteDurability } from '../src/log/index.js';
import { openSqliteLog } from '../src/log/index.js';
import { prepareItems } from '../src/log/prepare-items.js';
import { INDEX_BATCH, writeIndexes } from '../src/log/sqlite-index.js';
import { keep } from '../src/log/sqlite-keep.js';
import { sqliteWrites } from '../src/log/sqlite-statements.js';
import { tempDir } from '../test/fixtures/temp-dir.js';
import { notification } from './log.bench.js';
import { interleave, judgeRatio, round, type SuiteContext, type SuiteResult } from './row.js';

const APPENDERS = 64;

function bareTable(file: string, synchronous: 'OFF' | 'NORMAL' | 'FULL') {
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

/**
 * The baseline with the store's grouping and durability: the same items into a bare table,
 * `APPENDERS` per transaction (the most the store's appenders can put in one of its commits),
 * WAL, `synchronous` FULL or NORMAL, on this thread: SQLite's cost of these commits.
 */
function bareGrouped(file: string, items: readonly LogItem[], synchronous: 'FULL' | 'NORMAL') {
  const { db, insert } = bareTable(file, synchronous);
  const commit = db.transaction((from: number) => {
    const to = Math.min(items.length, from + APPENDERS);
    for (let n = from; n < to; n += 1) {
      insert.run(`recording-r${n % APPENDERS}`, JSON.stringify(items[n]));
    }
  });
  for (let from = 0; from < items.length; from += APPENDERS) commit.immediate(from);
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
 * The store's rows inserted straight into its schema (schema 3, the lean log: entries, and every
 * INDEX_BATCH entries their stream and key indexes, as the writer does; no lookups, no JS around
 * them), `APPENDERS` rows per transaction as the group commit gets them: SQLite's own cost of this
 * schema in small commits, with fsync (`FULL`) or without (`OFF`).
 */
async function schemaWrites(
  file: string,
  rows: readonly NewEntry[],
  synchronous: 'OFF' | 'NORMAL' | 'FULL',
) {
  await (await openSqliteLog(file)).close();
  const db = keep(new Database(file));
  db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${synchronous}`);
  const sql = sqliteWrites(db);
  let tail: NewEntry[] = [];
  const commit = db.transaction((group: readonly NewEntry[]) => {
    for (const row of group) {
      sql.insertEntry.run(row.position, row.stream, row.version, row.keys[0], row.at, row.text);
    }
    tail.push(...group);
    if (tail.length < INDEX_BATCH) return;
    writeIndexes(sql, tail, tail.at(-1)?.position ?? 0);
    tail = [];
  });
  for (let at = 0; at < rows.length; at += APPENDERS)
    commit.immediate(rows.slice(at, at + APPENDERS));
  db.close();
}

/** The store: `APPENDERS` concurrent appenders, one input per append, sharing group commits. */
async function groupCommit(
  file: string,
  items: readonly LogItem[],
  durability: SqliteDurability = 'full',
) {
  const log = await openSqliteLog(file, { durability });
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
  let statsNormal = { commits: 0, appends: 0, items: 0 };
  try {
    const ms = await interleave(
      {
        groupCommit: async () => {
          stats = await groupCommit(file('group'), items);
        },
        bareGroupedFull: () => bareGrouped(file('bare-full'), items, 'FULL'),
        groupCommitNormal: async () => {
          statsNormal = await groupCommit(file('group-normal'), items, 'normal');
        },
        bareGroupedNormal: () => bareGrouped(file('bare-normal'), items, 'NORMAL'),
        bareInsert: () => bareInsertLoop(file('bare'), items),
        schemaFull: () => schemaWrites(file('schema-full'), rows, 'FULL'),
        schemaOff: () => schemaWrites(file('schema-off'), rows, 'OFF'),
        schemaNormal: () => schemaWrites(file('schema-normal'), rows, 'NORMAL'),
        commitPerInput: () => commitPerInput(file('per-input'), items.slice(0, perInputCount)),
      },
      context.tiny ? 1 : 3,
    );
    const rate = (n: number, time: number) => Math.round((n / time) * 1000);
    const sqlite = keep(new Database(':memory:'));
    const version = keep(sqlite.prepare('SELECT sqlite_version()')).pluck().get();
    sqlite.close();
    const ours = rate(count, ms.groupCommit);
    const bound = rate(count, ms.bareInsert);
    const perInput = rate(perInputCount, ms.commitPerInput);
    const schemaFull = rate(count, ms.schemaFull);
    const ratio = round(ours / bound);
    const bareFull = rate(count, ms.bareGroupedFull);
    const oursNormal = rate(count, ms.groupCommitNormal);
    const bareNormal = rate(count, ms.bareGroupedNormal);
    const perCommit = (s: typeof stats) => round(s.items / Math.max(1, s.commits));
    const grouped = (
      durability: SqliteDurability,
      inputsPerSecond: number,
      s: typeof stats,
      bare: number,
      bareMs: number,
      oursMs: number,
      schemaMs: number,
    ) => {
      const groupedRatio = round(inputsPerSecond / bare);
      const synchronous = durability === 'full' ? 'FULL' : 'NORMAL';
      return {
        what: `openSqliteLog (WAL, durability '${durability}': synchronous=${synchronous}, commits on its writer thread), ${APPENDERS} appenders, one input per append, group commit, vs a bare table fed the same items ${APPENDERS} per commit, synchronous=${synchronous}`,
        figures: {
          sqlite: version,
          inputs: count,
          ms: round(oursMs),
          inputsPerSecond,
          commits: s.commits,
          inputsPerCommit: perCommit(s),
          vsSchemaWrites: round(inputsPerSecond / rate(count, schemaMs)),
        },
        baseline: {
          what: `bare INSERT (position, stream, item) of the same items, JSON.stringify per item, ${APPENDERS} per transaction, WAL, synchronous=${synchronous}, on the calling thread`,
          ms: round(bareMs),
          inputsPerSecond: bare,
          schemaWrites: {
            what: `what SQLite alone takes for the store's schema (3, the lean log): its rows (entries, and their stream and key indexes every ${INDEX_BATCH}) inserted straight into it, ${APPENDERS} per commit, synchronous=${synchronous}; no lookups, no JS around them`,
            ms: round(schemaMs),
            inputsPerSecond: rate(count, schemaMs),
            vsBare: round(rate(count, schemaMs) / bare),
          },
        },
        ratio: groupedRatio,
        ...judgeRatio(groupedRatio, 0.7),
      };
    };
    return {
      rows: [
        {
          row: 'ingest-sqlite',
          ...grouped(
            'full',
            ours,
            stats,
            bareFull,
            ms.bareGroupedFull,
            ms.groupCommit,
            ms.schemaFull,
          ),
        },
        {
          row: 'ingest-sqlite-normal',
          ...grouped(
            'normal',
            oursNormal,
            statsNormal,
            bareNormal,
            ms.bareGroupedNormal,
            ms.groupCommitNormal,
            ms.schemaNormal,
          ),
        },
        {
          row: 'ingest-sqlite-vs-cpu-bound',
          what: `the former ingest-sqlite: openSqliteLog (WAL, synchronous=FULL), ${APPENDERS} appenders, one input per append, group commit, vs a bare INSERT loop of the same items (synchronous=OFF, one transaction)`,
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
              what: `the store's rows (entries, and their indexes every ${INDEX_BATCH}) inserted straight into its schema (3), ${APPENDERS} per commit, WAL; no lookups, no JS around them`,
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
          // Kept for the history, without its target: SQLite's CPU bound in one transaction is
          // not what 64 appenders waiting on their acks can be held to (ingest-sqlite is).
          ok: true,
        },
      ],
    };
  } finally {
    dir.remove();
  }
}

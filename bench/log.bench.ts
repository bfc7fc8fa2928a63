// The event log's throughput: group-commit appends against a one-INSERT-per-input baseline with
// the same durability (WAL, synchronous=FULL), measured in the same run; then reading a log back,
// and rebuilding the core from it against replaying the same trace from memory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createCore, Replay, stepUntrusted } from '../src/core/index.js';
import { allEntries, createMemoryLog, type LogItem, openSqliteLog } from '../src/log/index.js';
import { keep } from '../src/log/sqlite-keep.js';
import { Journal, rebuildFromLog } from '../src/runtime/index.js';
import { time, workload } from './core.bench.js';

const APPENDERS = 64;
const BATCH_SIZES = [1, 10, 100] as const;
const SECONDS_PER_CASE = 3;
const REPLAY_ENTRIES = 200_000;

/** A webhook as Agora sends it, in a trace record: what the log holds most of. */
export function notification(n: number): LogItem {
  const at = 1_700_000_000_000 + n;
  const body = {
    noticeId: `2000001428:4330:${n}`,
    productId: 3,
    eventType: 42,
    notifyMs: at + 40,
    payload: {
      cname: 'room-7781',
      uid: '527841',
      sid: `sid-${n % 50}`,
      sequence: n,
      sendts: at,
      serviceType: 0,
      details: {
        msgName: 'recorder_slice_start',
        startUtcMs: at - 1000,
        discontinueUtcMs: at - 2000,
        mixedAllUser: true,
        streamUid: 0,
        trackType: 'audio_and_video',
      },
    },
  };
  return { kind: 'input', at, record: { at, type: 'notification', body } };
}

/** Inputs per second of one plain INSERT per input, each its own (fsynced) transaction. */
function baseline(file: string): Record<string, number> {
  const db = keep(new Database(file));
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL');
  db.exec('CREATE TABLE inputs (position INTEGER PRIMARY KEY, stream TEXT NOT NULL, item TEXT)');
  const insert = keep(db.prepare('INSERT INTO inputs (stream, item) VALUES (?, ?)'));
  const start = performance.now();
  const deadline = start + SECONDS_PER_CASE * 1000;
  let inputs = 0;
  while (performance.now() < deadline) {
    insert.run(`recording-r${inputs % APPENDERS}`, JSON.stringify(notification(inputs)));
    inputs += 1;
  }
  const seconds = (performance.now() - start) / 1000;
  db.close();
  return { inputs, seconds: round(seconds), inputsPerSecond: Math.round(inputs / seconds) };
}

/** `APPENDERS` concurrent appenders, each appending batches of `batchSize` to its own stream. */
async function groupCommit(file: string, batchSize: number): Promise<Record<string, number>> {
  const log = await openSqliteLog(file);
  let next = 0;
  const start = performance.now();
  const deadline = start + SECONDS_PER_CASE * 1000;
  const appender = async (stream: string) => {
    let version = 0;
    while (performance.now() < deadline) {
      const batch = Array.from({ length: batchSize }, () => notification(next++));
      version = (await log.append(stream, batch, { expectedVersion: version })).version;
    }
  };
  await Promise.all(
    Array.from({ length: APPENDERS }, (_, index) => appender(`recording-r${index}`)),
  );
  const seconds = (performance.now() - start) / 1000;
  const { commits, appends, items } = log.stats();
  await log.close();
  return {
    inputs: items,
    appends,
    commits,
    seconds: round(seconds),
    inputsPerSecond: Math.round(items / seconds),
    inputsPerCommit: round(items / commits),
  };
}

/** Inputs per second of reading a whole log back, as a host replays it at start. */
async function replay(file: string): Promise<Record<string, number>> {
  const log = await openSqliteLog(file);
  for (let from = 0; from < REPLAY_ENTRIES; from += 1000) {
    const batch = Array.from({ length: 1000 }, (_, index) => notification(from + index));
    await log.append(`recording-r${from % APPENDERS}`, batch, { expectedVersion: 'any' });
  }
  await log.close();
  const opening = performance.now();
  const reopened = await openSqliteLog(file);
  const openMs = round(performance.now() - opening);
  const start = performance.now();
  let entries = 0;
  for await (const _ of allEntries(reopened)) entries += 1;
  const seconds = (performance.now() - start) / 1000;
  await reopened.close();
  const inputsPerSecond = Math.round(entries / seconds);
  return { entries, seconds: round(seconds), inputsPerSecond, openWithQuickCheckMs: openMs };
}

/**
 * The core rebuilt from a SQLite log of the core benchmark's workload (as a host restarts, with
 * no snapshot), against folding the same logged items already in memory: the log's share.
 */
async function rebuild(file: string): Promise<Record<string, number>> {
  const trace = workload(15, 11);
  const log = await openSqliteLog(file);
  const journal = await Journal.open(log, { snapshotEvery: Number.MAX_SAFE_INTEGER });
  // Received concurrently: appends share commits and keep the order they were received in.
  await Promise.all(trace.map((input) => journal.receiveUntrusted(input, input.at)));
  await log.close();
  const reopened = await openSqliteLog(file);
  const items: LogItem[] = [];
  for await (const entry of allEntries(reopened)) items.push(entry.item);
  const fromMemoryMs = time(() => {
    const fold = new Replay(createCore(), { outputs: false });
    for (const item of items) fold.line(item);
    return fold.finish();
  }, 3);
  const samples: number[] = [];
  for (let run = 0; run < 3; run += 1) {
    const start = performance.now();
    await rebuildFromLog(reopened, { useSnapshot: false });
    samples.push(performance.now() - start);
  }
  await reopened.close();
  const ms = samples.sort((a, b) => a - b)[1] as number;
  return {
    received: trace.length,
    logged: items.length,
    ms: round(ms),
    inputsPerSecond: Math.round((items.length / ms) * 1000),
    fromMemoryMs: round(fromMemoryMs),
    vsFromMemory: round(fromMemoryMs / ms),
  };
}

/**
 * Append before act: a Journal on the in-memory log receiving the core workload as a webhook
 * endpoint gets it (notification bodies as text), one input at a time, against `step` alone on
 * the same inputs: what the log's bookkeeping (keys, stream, encoding, append) adds.
 */
async function journal(): Promise<Record<string, number>> {
  const inputs = workload(15, 11).map((input) =>
    input.type === 'notification' ? { ...input, body: JSON.stringify(input.body) } : input,
  );
  const stepMs = time(() => {
    let state = createCore();
    for (const input of inputs) state = stepUntrusted(state, input).state;
    return state;
  }, 3);
  const samples: number[] = [];
  for (let run = 0; run < 4; run += 1) {
    const receiver = await Journal.open(createMemoryLog(), {
      snapshotEvery: Number.MAX_SAFE_INTEGER,
    });
    const start = performance.now();
    for (const input of inputs) await receiver.receiveUntrusted(input, input.at);
    samples.push(performance.now() - start);
  }
  // The first run warms up; the median of the other three.
  const ms = samples.slice(1).sort((a, b) => a - b)[1] as number;
  return {
    inputs: inputs.length,
    ms: round(ms),
    inputsPerSecond: Math.round((inputs.length / ms) * 1000),
    stepAloneMs: round(stepMs),
    vsStepAlone: round(stepMs / ms),
  };
}

/**
 * Runs the log benchmarks on temporary SQLite files (about 20 s) and returns their figures.
 * @example const results = await runLogBench(); // { baseline: {...}, groupCommit: {...}, replay: {...} }
 */
export async function runLogBench(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'recwatch-log-bench-'));
  try {
    const base = baseline(join(dir, 'baseline.db'));
    const cases: Record<string, unknown> = {};
    for (const batchSize of BATCH_SIZES) {
      const result = await groupCommit(join(dir, `group-${batchSize}.db`), batchSize);
      const vsBaseline = round((result.inputsPerSecond ?? 0) / (base.inputsPerSecond ?? 1));
      cases[`batch${batchSize}`] = { batchSize, appenders: APPENDERS, ...result, vsBaseline };
    }
    const sqlite = keep(new Database(':memory:'));
    const sqliteVersion = keep(sqlite.prepare('SELECT sqlite_version()')).pluck().get();
    sqlite.close();
    return {
      sqlite: sqliteVersion,
      durability: 'WAL, synchronous=FULL',
      baseline: { what: 'one INSERT per input, autocommit', ...base },
      groupCommit: cases,
      replay: await replay(join(dir, 'replay.db')),
      rebuild: {
        what: 'rebuildFromLog (no snapshot) of the core workload, against the same items folded from memory',
        ...(await rebuild(join(dir, 'rebuild.db'))),
      },
      journal: {
        what: 'Journal.receive on the memory log, one input at a time, against step() alone',
        ...(await journal()),
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

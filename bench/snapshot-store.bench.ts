// A snapshot of 100,000 recordings kept by the SQLite log (and the PostgreSQL log, on a throwaway
// cluster with fsync on, when PostgreSQL is installed), and the event loop meanwhile: the
// longest pause of the loop (`monitorEventLoopDelay`, the garbage collector's pauses beside it)
// while `saveSnapshot` takes the core's text in its chunks (1 MB each, as the journal hands them
// over, `SnapshotJsonText`) and the log writes it. The text is that of a real fleet: the core of
// `bench/scaling.bench.ts` brought up with 100,000 recordings, written by `coreTextWork`.
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import pg from 'pg';
import { coreTextWork } from '../src/core/serialize-text.js';
import { type EventLog, openSqliteLog, SnapshotJsonText } from '../src/log/index.js';
import { keep } from '../src/log/sqlite-keep.js';
import { openPostgresLog } from '../src/postgres.js';
import { postgresBinaries, startPostgresCluster } from '../test/fixtures/postgres-cluster.js';
import { tempDir } from '../test/fixtures/temp-dir.js';
import type { Row, SuiteContext, SuiteResult } from './row.js';
import { median, round } from './row.js';
import { buildFleet } from './scaling.bench.js';

/** The chunks of a fleet's snapshot text, written at once (setup, not measured). */
export function fleetSnapshotChunks(recordings: number): readonly string[] {
  const work = coreTextWork(buildFleet(recordings).snapshot());
  for (;;) {
    const next = work.next();
    if (next.done === true) return next.value;
  }
}

/** What one snapshot's write did to the event loop. */
export interface SnapshotPause {
  /** From `saveSnapshot` to its promise settling, ms. */
  readonly saveMs: number;
  /** The longest pause of the event loop meanwhile, ms (`monitorEventLoopDelay`, 1 ms resolution). */
  readonly longestPauseMs: number;
  readonly p99PauseMs: number;
  /** The garbage collector's longest pause meanwhile, ms. */
  readonly gcLongestMs: number;
}

/**
 * Times `log.saveSnapshot` of `chunks` (a `SnapshotJsonText`, at position 0) with the event
 * loop's delay and the garbage collector watched throughout.
 */
export async function snapshotPause(
  log: EventLog,
  chunks: readonly string[],
): Promise<SnapshotPause> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let gcLongestMs = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcLongestMs = Math.max(gcLongestMs, entry.duration);
  });
  observer.observe({ entryTypes: ['gc'] });
  // A few turns first, so the histogram starts from a running loop.
  histogram.enable();
  for (let turn = 0; turn < 3; turn += 1) await new Promise((done) => setTimeout(done, 2));
  const started = performance.now();
  await log.saveSnapshot({ position: 0, schemaVersion: 1, state: new SnapshotJsonText(chunks) });
  const saveMs = performance.now() - started;
  // The pause that ends with the save (its continuation) is seen at the next timer.
  await new Promise((done) => setTimeout(done, 2));
  histogram.disable();
  observer.disconnect();
  return {
    saveMs: round(saveMs),
    longestPauseMs: round(histogram.max / 1e6),
    p99PauseMs: round(histogram.percentile(99) / 1e6),
    gcLongestMs: round(gcLongestMs),
  };
}

/** A row judging the longest pause of `samples` against 50 ms. */
function loopRow(
  row: string,
  what: string,
  figures: Record<string, unknown>,
  samples: readonly SnapshotPause[],
): Row {
  const longest = Math.max(...samples.map((sample) => sample.longestPauseMs));
  const ok = longest <= 50;
  return {
    row,
    what,
    figures: {
      ...figures,
      longestPauseMs: longest,
      medianSaveMs: round(median(samples.map((sample) => sample.saveMs))),
      samples,
    },
    target: { kind: 'atMost', value: 50, of: 'longest event-loop pause, ms' },
    ok,
    ...(ok ? {} : { miss: `longest pause ${longest} ms > 50` }),
  };
}

/** The same saves on the PostgreSQL log, on a throwaway cluster (fsync on); null without one. */
async function postgresSamples(
  chunks: readonly string[],
  rounds: number,
): Promise<SnapshotPause[] | null> {
  if (postgresBinaries() === null) return null;
  const cluster = await startPostgresCluster({ durable: true });
  const pool = new pg.Pool({ connectionString: cluster.url, max: 4 });
  try {
    const samples: SnapshotPause[] = [];
    for (let round = 0; round < rounds; round += 1) {
      const log = await openPostgresLog(pool, { schema: `snapshot_${round}` });
      samples.push(await snapshotPause(log, chunks));
      await log.close();
    }
    return samples;
  } finally {
    await pool.end();
    cluster.stop();
  }
}

/** The `snapshot-sqlite-loop` and `snapshot-postgres-loop` rows. */
export async function runSnapshotStoreBench(context: SuiteContext): Promise<SuiteResult> {
  const recordings = context.tiny ? 2_000 : 100_000;
  const rounds = context.tiny ? 1 : 3;
  const chunks = fleetSnapshotChunks(recordings);
  const bytes = chunks.reduce((sum, chunk) => sum + Buffer.byteLength(chunk), 0);
  const text = { recordings, textMB: round(bytes / 1e6), chunks: chunks.length };
  const dir = tempDir('recwatch-bench-snapshot-');
  const rows: Row[] = [];
  try {
    const samples: SnapshotPause[] = [];
    for (let round = 0; round < rounds; round += 1) {
      const file = dir.file(`snapshot-${round}.db`);
      const log = await openSqliteLog(file);
      samples.push(await snapshotPause(log, chunks));
      await log.close();
      // The text kept is the text given, byte for byte.
      const db = keep(new Database(file, { readonly: true }));
      const stored = keep(
        db.prepare(
          `SELECT coalesce(
             (SELECT sum(length(CAST(text AS BLOB))) FROM snapshot_parts
              WHERE generation = s.parts_generation),
             length(CAST(s.state AS BLOB)))
           FROM snapshots AS s`,
        ),
      ).pluck();
      const kept = stored.get();
      db.close();
      if (kept !== bytes) throw new Error(`snapshot kept ${String(kept)} bytes of ${bytes}`);
    }
    rows.push(
      loopRow(
        'snapshot-sqlite-loop',
        `the event loop while openSqliteLog (durability 'full') keeps a ${recordings}-recording snapshot given as its text in chunks (SnapshotJsonText, as the journal gives it): longest pause (monitorEventLoopDelay) over ${rounds} saves`,
        text,
        samples,
      ),
    );
  } finally {
    dir.remove();
  }
  const postgres = await postgresSamples(chunks, rounds);
  if (postgres !== null) {
    rows.push(
      loopRow(
        'snapshot-postgres-loop',
        `the same with openPostgresLog on a throwaway cluster (fsync on): longest pause over ${rounds} saves`,
        text,
        postgres,
      ),
    );
  }
  return { rows };
}

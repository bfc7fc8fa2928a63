// Rebuild after a restart: a host opens its SQLite log and resumes 10,000 recordings from the
// latest snapshot and the entries after it, against folding every logged item from memory.
import { createCore, Replay } from '../src/core/index.js';
import { allEntries, type LogItem, openSqliteLog } from '../src/log/index.js';
import { Journal, rebuildFromLog } from '../src/runtime/index.js';
import { tempDir } from '../test/fixtures/temp-dir.js';
import { workload } from './core.bench.js';
import { interleave, judgeRatio, round, type SuiteContext, type SuiteResult } from './row.js';

/** Where in the log the latest snapshot sits (the rest is the tail replayed after it). */
const SNAPSHOT_AT = 0.8;

/** The `rebuild` row. */
export async function runRebuildBench(context: SuiteContext): Promise<SuiteResult> {
  const recordings = context.tiny ? 200 : 10_000;
  const trace = workload(context.tiny ? 2 : 5, 21, 1, recordings);
  const dir = tempDir('recwatch-bench-rebuild-');
  try {
    const file = dir.file('rebuild.db');
    // Written as a host writes it: through the journal, received concurrently (group commits),
    // with one snapshot of the whole fleet at 80% of the log (the journal's own policy snapshots
    // after a recording's 1000th input, hours into a fleet like this one).
    const journal = await Journal.open(await openSqliteLog(file), {
      snapshotEvery: Number.MAX_SAFE_INTEGER,
    });
    const cut = Math.floor(trace.length * SNAPSHOT_AT);
    await Promise.all(
      trace.slice(0, cut).map((input) => journal.receiveUntrusted(input, input.at)),
    );
    await journal.snapshot();
    await Promise.all(trace.slice(cut).map((input) => journal.receiveUntrusted(input, input.at)));
    await journal.close();

    const reader = await openSqliteLog(file);
    const items: LogItem[] = [];
    for await (const entry of allEntries(reader)) items.push(entry.item);
    await reader.close();

    let rebuilt = { fromPosition: 0, replayed: 0, recordings: 0 };
    const resume = async (useSnapshot: boolean) => {
      const log = await openSqliteLog(file);
      const result = await rebuildFromLog(log, { useSnapshot });
      await log.close();
      return result;
    };
    const ms = await interleave(
      {
        resume: async () => {
          const result = await resume(true);
          rebuilt = {
            fromPosition: result.fromPosition,
            replayed: result.replayed,
            recordings: result.state.recordings.size,
          };
        },
        fromMemory: () => {
          const fold = new Replay(createCore(), { outputs: false });
          for (const item of items) fold.line(item);
          return fold.finish();
        },
        resumeWithoutSnapshot: () => resume(false),
      },
      context.tiny ? 1 : 3,
    );
    const ratio = round(ms.fromMemory / ms.resume);
    return {
      rows: [
        {
          row: 'rebuild',
          what: `open the SQLite log and rebuild ${recordings} recordings from the latest snapshot (at ${SNAPSHOT_AT * 100}% of the log) and the tail, vs folding every logged item from memory`,
          figures: {
            recordings: rebuilt.recordings,
            loggedItems: items.length,
            snapshotPosition: rebuilt.fromPosition,
            tailReplayed: rebuilt.replayed,
            ms: round(ms.resume),
            withoutSnapshotMs: round(ms.resumeWithoutSnapshot),
          },
          baseline: {
            what: 'Replay of every logged item, already in memory (no I/O, no decoding)',
            ms: round(ms.fromMemory),
          },
          ratio,
          ...judgeRatio(ratio, 0.5),
        },
      ],
    };
  } finally {
    dir.remove();
  }
}

// Rows for the two suites that report in their own shape (memory, PostgreSQL): each figure
// becomes a row of results.json with its target, so `--check` judges them like the others.
import { memoryBench } from './memory.bench.js';
import { runPostgresBench } from './postgres.bench.js';
import { judgeRatio, type Row, type SuiteContext, type SuiteResult } from './row.js';

/**
 * Memory per recording held by the core (heap and RSS growth ÷ N after GC) at 10,000 and
 * 100,000 recordings; target ≤ 2 KiB at the largest size. `--tiny` measures 2,000 only.
 */
export async function runMemorySuite(context: SuiteContext): Promise<SuiteResult> {
  const result = memoryBench(context.tiny ? { sizes: [2_000] } : {});
  const owned = result.ownedRows.at(-1);
  const heap = owned?.heapBytesPerRecording ?? 0;
  const ok = heap <= result.target;
  const row: Row = {
    row: 'memory',
    what: `${result.what}; the state as the journal holds it (built by LiveCore), heap growth`,
    figures: { sizes: result.ownedRows, dedupeKey: result.dedupeKey },
    target: { kind: 'atMost', value: result.target, of: 'heap bytes per recording' },
    ok,
    ...(ok ? {} : { miss: `${heap} B of heap per recording > ${result.target} B` }),
  };
  const largest = result.rows.at(-1);
  const worst = Math.max(largest?.heapBytesPerRecording ?? 0, largest?.rssBytesPerRecording ?? 0);
  const former: Row = {
    row: 'memory-pure-step',
    what: `the former memory row: ${result.what}, built by folding the pure step (heap and RSS)`,
    figures: { sizes: result.rows, worstBytesPerRecording: worst },
    ok: true,
  };
  return { rows: [row, former] };
}

/**
 * PostgreSQL: group commit against one commit per input on the same server (target ≥ 10×),
 * and the take-over time after a kill -9 (figures only). Skipped without PostgreSQL.
 */
export async function runPostgresSuite(): Promise<SuiteResult> {
  const details = await runPostgresBench();
  const group = details.groupCommit as { inputsPerSecond: number } | undefined;
  const single = details.perInputCommit as { inputsPerSecond: number } | undefined;
  if (group === undefined || single === undefined) return { rows: [], details };
  const ratio = Math.round((group.inputsPerSecond / single.inputsPerSecond) * 100) / 100;
  const row: Row = {
    row: 'ingest-postgres',
    what: 'durable ingest on PostgreSQL: appends sharing transactions (group commit)',
    figures: { inputsPerSecond: group.inputsPerSecond },
    baseline: {
      what: 'one transaction per input on the same server',
      inputsPerSecond: single.inputsPerSecond,
    },
    ratio,
    ...judgeRatio(ratio, 10),
  };
  return { rows: [row], details };
}

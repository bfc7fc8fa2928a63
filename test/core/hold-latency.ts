// How long the core keeps a notification before its machine sees it (rule 9's holds), per event
// type: observed time from its arrival to the decision that applied it (or marked it stale,
// late, unrouted). A measuring tool for the hold policy, not a timing test: times are the
// trace's own `at` values, so the figures are exact and the same on every machine.
import { readFileSync } from 'node:fs';
import { type Decision, readTrace, replayUntrusted } from '../../src/index.js';

/** Added latency of one event type over a set of traces (ms). */
export interface HoldLatency {
  readonly eventType: number;
  readonly count: number;
  /** How many waited at all. */
  readonly held: number;
  readonly totalMs: number;
  readonly maxMs: number;
  /** Still held when the trace ended (their wait, to the last input, is counted above). */
  readonly pending: number;
  /** How many waited for a missing predecessor (rule 9's order hold, not a sid not yet known). */
  readonly waitedForOrder: number;
}

const FINAL_DECISIONS = new Set([
  'applied',
  'late',
  'releasedAfterGap',
  'stale',
  'unrouted',
  'ignored',
  'duplicate',
  'rejected',
]);

/** The added latency per event type of the notifications in these traces (files, JSON Lines). */
export function holdLatency(files: readonly string[]): HoldLatency[] {
  const byType = new Map<
    number,
    {
      count: number;
      held: number;
      totalMs: number;
      maxMs: number;
      pending: number;
      waitedForOrder: number;
    }
  >();
  for (const file of files) {
    const records = readTrace(readFileSync(file, 'utf8'))
      .records.filter((line) => line.kind === 'input')
      .map((line) => line.record as { at: number; type: string; body?: { eventType?: unknown } });
    const decided = new Map<number, Decision>();
    const orderHeld = new Set<number>();
    replayUntrusted(records, {
      onOutput: (output) => {
        if (output.kind !== 'decision') return;
        if (FINAL_DECISIONS.has(output.decision)) decided.set(output.position, output);
        if (output.decision === 'held' && output.reason === 'waiting for an earlier sequence')
          orderHeld.add(output.position);
      },
    });
    const end = records.at(-1)?.at ?? 0;
    records.forEach((record, index) => {
      if (record.type !== 'notification') return;
      const decision = decided.get(index + 1);
      const eventType = Number(record.body?.eventType);
      if (Number.isNaN(eventType)) return;
      const waited = (decision?.at ?? end) - record.at;
      const row = byType.get(eventType) ?? {
        count: 0,
        held: 0,
        totalMs: 0,
        maxMs: 0,
        pending: 0,
        waitedForOrder: 0,
      };
      row.count += 1;
      if (orderHeld.has(index + 1)) row.waitedForOrder += 1;
      if (decision === undefined) row.pending += 1;
      if (waited > 0) row.held += 1;
      row.totalMs += waited;
      row.maxMs = Math.max(row.maxMs, waited);
      byType.set(eventType, row);
    });
  }
  return [...byType.entries()]
    .sort(([a], [b]) => a - b)
    .map(([eventType, row]) => ({ eventType, ...row }));
}

// Interval arithmetic for coverage: merge, clip, total, complement. Intervals are [from, to).
import type { Interval } from './types.js';

/**
 * The union of intervals, sorted and merged; empty ones dropped.
 * @example mergeIntervals([{ from: 5, to: 9 }, { from: 0, to: 6 }]) // [{ from: 0, to: 9 }]
 */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.to > i.from).sort((a, b) => a.from - b.from);
  const merged: Interval[] = [];
  for (const next of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && next.from <= last.to) {
      if (next.to > last.to) merged[merged.length - 1] = { from: last.from, to: next.to };
    } else merged.push(next);
  }
  return merged;
}

/** The parts of `intervals` within `window`, merged. */
export function clipIntervals(intervals: readonly Interval[], window: Interval): Interval[] {
  return mergeIntervals(
    intervals.map((i) => ({ from: Math.max(i.from, window.from), to: Math.min(i.to, window.to) })),
  );
}

/** Their total length (ms), counting overlaps once. */
export function totalMs(intervals: readonly Interval[]): number {
  return mergeIntervals(intervals).reduce((sum, i) => sum + (i.to - i.from), 0);
}

/** The parts of `window` outside `intervals`, in order. */
export function complement(intervals: readonly Interval[], window: Interval): Interval[] {
  const gaps: Interval[] = [];
  let cursor = window.from;
  for (const i of clipIntervals(intervals, window)) {
    if (i.from > cursor) gaps.push({ from: cursor, to: i.from });
    cursor = Math.max(cursor, i.to);
  }
  if (cursor < window.to) gaps.push({ from: cursor, to: window.to });
  return gaps;
}

/**
 * The length (ms) of the symmetric difference of two sets of intervals: the time one says
 * recorded and the other does not.
 * @example differenceMs([{ from: 0, to: 10 }], [{ from: 5, to: 12 }]) // 7
 */
export function differenceMs(a: readonly Interval[], b: readonly Interval[]): number {
  const both = totalMs(a) + totalMs(b);
  return both - 2 * intersectionMs(mergeIntervals(a), mergeIntervals(b));
}

function intersectionMs(a: readonly Interval[], b: readonly Interval[]): number {
  let total = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as Interval;
    const y = b[j] as Interval;
    const from = Math.max(x.from, y.from);
    const to = Math.min(x.to, y.to);
    if (to > from) total += to - from;
    if (x.to < y.to) i += 1;
    else j += 1;
  }
  return total;
}

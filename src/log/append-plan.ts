// Deciding appends, with no more imports than that takes: the SQLite log's writer thread loads
// this module, and every module it loads lengthens the thread's start.
import { VersionConflictError } from './errors.js';
import type { IdempotencyKeys } from './keys.js';
import type { PreparedItem } from './prepare-items.js';
import type { AppendResult, ExpectedVersion } from './types.js';

/** A row a store writes: an entry, and the keys that point at it. */
export interface NewEntry {
  readonly position: number;
  readonly stream: string;
  readonly version: number;
  readonly keys: IdempotencyKeys;
  readonly at: number;
  readonly text: string;
}

/** What a store tells the planner, as of the moment inside its write transaction. */
export interface LogView {
  positionOfKey(key: string): number | undefined;
  streamVersion(stream: string): number;
  /** The last global position (0 when the log is empty). */
  head(): number;
}

/** An append decided: rows to write and the result to report, or a conflict. */
export type AppendPlan =
  | { readonly kind: 'write'; readonly rows: readonly NewEntry[]; readonly result: AppendResult }
  | { readonly kind: 'conflict'; readonly error: VersionConflictError };

/**
 * Decides one append against the log as it stands: repeats keep their first position, a batch of
 * repeats only is a retry (no version check), anything else must match `expected`.
 * @example
 * const plan = planAppend(view, 'clock', prepareItems([tick]), 0);
 * if (plan.kind === 'write') for (const row of plan.rows) insert(row);
 */
export function planAppend(
  view: LogView,
  stream: string,
  items: readonly PreparedItem[],
  expected: ExpectedVersion,
): AppendPlan {
  const ownKeys = new Map<string, number>();
  const positions: number[] = [];
  const repeated: boolean[] = [];
  const fresh: PreparedItem[] = [];
  const first = view.head() + 1;
  let next = first;
  for (const item of items) {
    const earlier = firstPosition(item.keys, ownKeys, view);
    repeated.push(earlier !== undefined);
    if (earlier !== undefined) {
      positions.push(earlier);
      continue;
    }
    positions.push(next);
    for (const key of item.keys) ownKeys.set(key, next);
    fresh.push(item);
    next += 1;
  }
  const current = view.streamVersion(stream);
  const retry = items.length > 0 && fresh.length === 0;
  if (!retry && expected !== 'any' && expected !== current) {
    return { kind: 'conflict', error: new VersionConflictError(stream, expected, current) };
  }
  const rows = fresh.map((item, index) => ({
    position: first + index,
    stream,
    version: current + index + 1,
    keys: item.keys,
    at: item.at,
    text: item.text,
  }));
  return { kind: 'write', rows, result: { positions, repeated, version: current + rows.length } };
}

/** Plans the appends of one group commit in order, each seeing the rows the earlier ones wrote. */
export interface GroupPlanner {
  /** `planAppend` against the table as it stood plus this group's rows so far. */
  plan(stream: string, items: readonly PreparedItem[], expected: ExpectedVersion): AppendPlan;
  /** The new rows of every planned append, in position order. */
  readonly written: readonly NewEntry[];
  /** The last position, the group's rows included. */
  head(): number;
}

/**
 * A planner for one group commit over what the store holds (`base`, read inside the group's
 * transaction): the keys, stream versions and head the group itself wrote are answered from
 * memory, as the table will hold them once the group's rows go in.
 * @example
 * const group = groupPlanner({ positionOfKey, streamVersion, head: () => head });
 * const plans = appends.map((a) => group.plan(a.stream, a.items, a.expected));
 * insertRows(group.written);
 */
export function groupPlanner(base: LogView): GroupPlanner {
  const positions = new Map<string, number>();
  const versions = new Map<string, number>();
  const written: NewEntry[] = [];
  let head = base.head();
  const view: LogView = {
    positionOfKey: (key) => positions.get(key) ?? base.positionOfKey(key),
    streamVersion: (stream) => versions.get(stream) ?? base.streamVersion(stream),
    head: () => head,
  };
  return {
    plan(stream, items, expected) {
      const plan = planAppend(view, stream, items, expected);
      if (plan.kind !== 'write') return plan;
      for (const row of plan.rows) {
        for (const key of row.keys) positions.set(key, row.position);
        versions.set(row.stream, row.version);
        head = row.position;
        written.push(row);
      }
      return plan;
    },
    written,
    head: () => head,
  };
}

function firstPosition(
  keys: readonly string[],
  ownKeys: ReadonlyMap<string, number>,
  view: LogView,
): number | undefined {
  for (const key of keys) {
    const position = ownKeys.get(key) ?? view.positionOfKey(key);
    if (position !== undefined) return position;
  }
  return undefined;
}

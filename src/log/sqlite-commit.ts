import { type AppendPlan, groupPlanner, type NewEntry } from './append-plan.js';
import type { PreparedItem } from './prepare-items.js';
import { type TailChange, type UnindexedTail, writeIndexes } from './sqlite-index.js';
import type { SqliteWrites } from './sqlite-statements.js';
import type { ExpectedVersion } from './types.js';

/** One append of a group, as the SQLite log queued it. */
export interface SqliteGroupAppend {
  readonly stream: string;
  readonly items: readonly PreparedItem[];
  readonly expected: ExpectedVersion;
}

/** A group written: one plan per append, and what to apply to the tail once it commits. */
export interface WrittenGroup {
  readonly plans: AppendPlan[];
  readonly tail: TailChange;
}

/**
 * Plans and writes a group of appends; must run inside the group's write transaction. The head
 * is read once per group; keys and versions come from the group itself, then the unindexed
 * `tail` (memory), then the indexes; each append is planned in order as if alone (`planAppend`),
 * then the group's new rows are written, and the indexes of the tail's oldest slice too once
 * the tail reaches a batch (sqlite-index.ts). A conflict writes nothing for its append and
 * spoils nothing else. The caller applies `tail` once the transaction has committed.
 * @example
 * const { plans, tail: change } = db.transaction(() => writeGroup(sql, tail, group)).immediate();
 * tail.settle(change);
 */
export function writeGroup(
  sql: SqliteWrites,
  tail: UnindexedTail,
  group: readonly SqliteGroupAppend[],
): WrittenGroup {
  const head = sql.head.get() as number;
  const planner = groupPlanner({
    positionOfKey: (key) =>
      tail.positionOf(key) ?? (sql.positionOfKey.get(key) as number | undefined),
    streamVersion: (stream) => tail.versionOf(stream) ?? (sql.indexedVersion.get(stream) as number),
    head: () => head,
  });
  const plans = group.map((each) => planner.plan(each.stream, each.items, each.expected));
  const written = planner.written;
  insertRows(sql, written);
  const slice = tail.indexedBy(written);
  if (slice.length > 0) writeIndexes(sql, slice, slice.at(-1)!.position);
  return { plans, tail: { written, indexed: slice.length } };
}

// One reused statement per row: measured faster here than multi-row INSERTs (16 rows a
// statement ran the group commit at 0.65x, interleaved, WAL and synchronous=FULL).
function insertRows(sql: SqliteWrites, rows: readonly NewEntry[]): void {
  for (const row of rows) {
    sql.insertEntry.run(row.position, row.stream, row.version, row.keys[0], row.at, row.text);
  }
}

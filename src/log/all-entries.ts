import { checkCount } from './checks.js';
import type { EventLog, LogEntry } from './types.js';

/** Options of `allEntries`. */
export interface AllEntriesOptions {
  /** First global position; default 1. */
  readonly fromPosition?: number;
  /** Entries fetched per read; default 5000. */
  readonly pageSize?: number;
}

/**
 * Every entry from a position on, in order, one page in memory at a time: how a host replays a
 * log of millions of entries. Works on any store.
 * @example
 * for await (const entry of allEntries(log, { fromPosition: snapshot.position + 1 })) {
 *   state = step(state, entry.item);
 * }
 */
export async function* allEntries(
  log: EventLog,
  options: AllEntriesOptions = {},
): AsyncGenerator<LogEntry, void, undefined> {
  let from = options.fromPosition ?? 1;
  const limit = options.pageSize ?? 5000;
  checkCount('fromPosition', from, 1);
  checkCount('pageSize', limit, 1);
  for (;;) {
    const page = await log.readAll({ fromPosition: from, limit });
    yield* page;
    const last = page.at(-1);
    if (last === undefined || page.length < limit) return;
    from = last.position + 1;
  }
}

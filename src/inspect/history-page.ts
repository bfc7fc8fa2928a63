// `/api/history` a page at a time: steps after a position, at most a limit, from the feed's
// memory. A bounded answer, so a page polling it never holds up the webhook door.
import type { InspectorFeed } from './feed.js';
import type { InspectorStep } from './inspector-step.js';
import { toJson } from './json.js';

/** Steps in a page when the request names no `limit`. */
export const HISTORY_PAGE_STEPS = 500;
/** The most steps a page may ask for. */
export const HISTORY_PAGE_MAX_STEPS = 5_000;

/** A page of history, or why the request cannot have one (a 400). */
export type HistoryPageAnswer =
  | { readonly ok: true; readonly json: string }
  | { readonly ok: false; readonly reason: string };

/**
 * The page of `/api/history?after=P&limit=N`: the kept steps with a position above `after`
 * (default: from the first), at most `limit` (default 500, at most 5 000), as a `WireHistoryPage`.
 * `base` comes with a page that starts at the first kept step (the recordings before it);
 * `next` is the `after` of the following page, null when this one reaches the last step.
 * @example historyPage(feed, new URLSearchParams('after=120&limit=100'))
 */
export function historyPage(feed: InspectorFeed, query: URLSearchParams): HistoryPageAnswer {
  const after = whole(query.get('after'), 0, Number.MAX_SAFE_INTEGER);
  const limit = whole(query.get('limit'), 1, HISTORY_PAGE_MAX_STEPS);
  if (after === undefined) return { ok: false, reason: 'after must be a whole number ≥ 0' };
  if (limit === undefined) {
    return {
      ok: false,
      reason: `limit must be a whole number from 1 to ${HISTORY_PAGE_MAX_STEPS}`,
    };
  }
  const { base, steps } = feed.history();
  const from = firstAfter(steps, after ?? 0);
  const page = steps.slice(from, from + (limit ?? HISTORY_PAGE_STEPS));
  const reachesEnd = from + page.length >= steps.length;
  const next = reachesEnd ? null : (page.at(-1)?.position ?? null);
  const head = { title: feed.title, live: feed.live, ...(from === 0 ? { base } : {}) };
  const json = `${toJson(head).slice(0, -1)},"steps":[${page.map((s) => toJson(s)).join(',')}],"next":${next}}`;
  return { ok: true, json };
}

// null: absent; undefined: not a whole number within [min, max].
function whole(text: string | null, min: number, max: number): number | null | undefined {
  if (text === null) return null;
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  return Number.isSafeInteger(value) && value >= min && value <= max ? value : undefined;
}

// Positions increase along the steps: a binary search for the first above `after`.
function firstAfter(steps: readonly InspectorStep[], after: number): number {
  let low = 0;
  let high = steps.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((steps[middle] as InspectorStep).position <= after) low = middle + 1;
    else high = middle;
  }
  return low;
}

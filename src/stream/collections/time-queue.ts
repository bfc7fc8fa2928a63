// An immutable queue of (time, id) entries, earliest first, as a persistent min-heap (a pairing
// heap): a tick pops only what is due instead of scanning everything. Pushing is O(1) (two
// nodes), so frequent pushes stay cheap; popping pairs up the root's children. Entries are never
// updated in place: a user that needs to move an entry pushes a new one and drops the old one
// when it surfaces (the core's wake queue does so).

// Children are kept as a first child and a chain of next siblings (one object per entry, no list
// cells): a queue holds an entry per supervised recording, so its entry size counts.
interface HeapNode {
  readonly at: number;
  readonly id: string;
  /** Entries in this node and its children (not its siblings). */
  readonly size: number;
  readonly child: HeapNode | null;
  readonly sibling: HeapNode | null;
}

/** An immutable queue of (time, id) entries, earliest first; ties by id. */
export type TimeQueue = HeapNode | null;

/** The empty queue. */
export const EMPTY_TIME_QUEUE: TimeQueue = null;

// Ties go by id, so the order of entries due together never depends on history.
function before(a: HeapNode, b: HeapNode): boolean {
  return a.at < b.at || (a.at === b.at && a.id < b.id);
}

/** Melds two heaps; a node's sibling is not read (only a lone node is returned as it is). */
function meld(a: TimeQueue, b: TimeQueue): TimeQueue {
  if (a === null) return b;
  if (b === null) return a;
  const [low, high] = before(a, b) ? [a, b] : [b, a];
  const child: HeapNode = {
    at: high.at,
    id: high.id,
    size: high.size,
    child: high.child,
    sibling: low.child,
  };
  return { at: low.at, id: low.id, size: low.size + high.size, child, sibling: null };
}

const root = (node: HeapNode): HeapNode =>
  node.sibling === null
    ? node
    : { at: node.at, id: node.id, size: node.size, child: node.child, sibling: null };

/**
 * The queue with one more entry.
 * @example let queue = pushTime(EMPTY_TIME_QUEUE, 1000, 'r1');
 */
export function pushTime(queue: TimeQueue, at: number, id: string): TimeQueue {
  return meld(queue, { at, id, size: 1, child: null, sibling: null });
}

/** How many entries the queue holds. */
export function timeQueueSize(queue: TimeQueue): number {
  return queue?.size ?? 0;
}

/** The earliest entry, or null. */
export function peekTime(queue: TimeQueue): { readonly at: number; readonly id: string } | null {
  return queue;
}

/** The queue without its earliest entry. */
export function popTime(queue: TimeQueue): TimeQueue {
  if (queue === null) return null;
  // Two-pass pairing: meld the children in pairs left to right, then fold right to left.
  const pairs: HeapNode[] = [];
  for (let first = queue.child; first !== null; first = first.sibling?.sibling ?? null) {
    const second = first.sibling;
    pairs.push(second === null ? root(first) : (meld(first, second) as HeapNode));
  }
  let result: TimeQueue = null;
  for (let i = pairs.length - 1; i >= 0; i -= 1) result = meld(pairs[i] as HeapNode, result);
  return result;
}

/** A queue of the given (id, time) entries; a null time is left out. */
export function timeQueueOf(entries: Iterable<readonly [string, number | null]>): TimeQueue {
  let queue: TimeQueue = null;
  for (const [id, at] of entries) if (at !== null) queue = pushTime(queue, at, id);
  return queue;
}

/** Every entry, earliest first (a copy is popped: the queue is not changed). */
export function timeQueueEntries(queue: TimeQueue): [string, number][] {
  const entries: [string, number][] = [];
  for (let rest = queue; rest !== null; rest = popTime(rest)) entries.push([rest.id, rest.at]);
  return entries;
}

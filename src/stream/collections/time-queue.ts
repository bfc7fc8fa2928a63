// An immutable queue of (time, id) entries, earliest first, as a persistent min-heap (a pairing
// heap): a tick pops only what is due instead of scanning everything. Pushing is O(1) (a node),
// so frequent pushes stay cheap; popping pairs up the root's children. Entries are never
// updated in place: a user that needs to move an entry pushes a new one and drops the old one
// when it surfaces (the core's wake queue does so).
//
// Under an edit token (as the persistent maps have), the nodes made with that token are changed
// in place: a fold that owns its queue (`LiveCore`) pushes and pops without copying, so a pop
// allocates nothing where a persistent pop copies a node per child it pairs. Without a token,
// or on nodes of another token, every operation copies what it changes, and the queue given is
// never changed.
import type { Edit } from './edit.js';

// Children are kept as a first child and a chain of next siblings (one object per entry, no list
// cells): a queue holds two entries per supervised recording, so its entry size counts. A root
// has no sibling: its `next` holds the queue's size instead (so a node is no larger for its edit
// token). A child's count of entries is not kept: a pop knows its result holds one less.
interface HeapNode {
  readonly at: number;
  readonly id: string;
  child: HeapNode | null;
  /** A child's next sibling (or null); on the root, the number of entries in the queue. */
  next: HeapNode | null | number;
  /** The token this node may be changed in place with (null: never). */
  readonly edit: Edit | null;
}

/** An immutable queue of (time, id) entries, earliest first; ties by id. */
export type TimeQueue = HeapNode | null;

/** The empty queue. */
export const EMPTY_TIME_QUEUE: TimeQueue = null;

// Ties go by id, so the order of entries due together never depends on history.
function before(a: HeapNode, b: HeapNode): boolean {
  return a.at < b.at || (a.at === b.at && a.id < b.id);
}

/** `node` with the given links: itself, changed, when `edit` owns it; else a copy. */
function relinked(
  node: HeapNode,
  child: HeapNode | null,
  next: HeapNode | null | number,
  edit: Edit | null,
): HeapNode {
  if (edit !== null && node.edit === edit) {
    node.child = child;
    node.next = next;
    return node;
  }
  return { at: node.at, id: node.id, child, next, edit };
}

/** A root's count of entries (0 for a child made a root in a pop: the pop sets its own). */
const sizeOf = (node: HeapNode): number => (typeof node.next === 'number' ? node.next : 0);

/** Melds two heaps: the later root becomes the earlier one's first child. */
function meld(a: HeapNode, b: HeapNode | null, edit: Edit | null): HeapNode {
  if (b === null) return a;
  const [low, high] = before(a, b) ? [a, b] : [b, a];
  const size = sizeOf(low) + sizeOf(high);
  const child = relinked(high, high.child, low.child, edit);
  return relinked(low, child, size, edit);
}

/**
 * The queue with one more entry. With `edit`, nodes made with that token are changed in place
 * (the queue given is then used up: `LiveCore` owns its queue); without, the queue given is
 * never changed.
 * @example let queue = pushTime(EMPTY_TIME_QUEUE, 1000, 'r1');
 */
export function pushTime(
  queue: TimeQueue,
  at: number,
  id: string,
  edit: Edit | null = null,
): TimeQueue {
  const node: HeapNode = { at, id, child: null, next: 1, edit };
  return queue === null ? node : meld(queue, node, edit);
}

/** How many entries the queue holds. */
export function timeQueueSize(queue: TimeQueue): number {
  return queue === null ? 0 : sizeOf(queue);
}

/** The earliest entry, or null. */
export function peekTime(queue: TimeQueue): { readonly at: number; readonly id: string } | null {
  return queue;
}

/** Pairs made by the pop under way (reused: a pop never runs inside another). */
const pairs: HeapNode[] = [];

/**
 * The queue without its earliest entry. With `edit`, as `pushTime`: nodes of that token are
 * changed in place (no allocation); without, the queue given is never changed.
 */
export function popTime(queue: TimeQueue, edit: Edit | null = null): TimeQueue {
  if (queue === null || queue.child === null) return null;
  // A lone child becomes the root as it is (a copy, unless owned); else it is a meld's result,
  // made in this pop or owned, whose count can be set in place.
  const lone = queue.child.next === null;
  // Two-pass pairing: meld the children in pairs left to right, then fold right to left. Each
  // pair's successor is read before the pair is melded, which may relink its nodes in place.
  let first: HeapNode | null = queue.child;
  while (first !== null) {
    const second = first.next as HeapNode | null;
    const after = second === null ? null : (second.next as HeapNode | null);
    pairs.push(second === null ? first : meld(first, second, edit));
    first = after;
  }
  let result: HeapNode | null = null;
  for (let i = pairs.length - 1; i >= 0; i -= 1) {
    const pair = pairs[i] as HeapNode;
    result = result === null ? pair : meld(pair, result, edit);
  }
  pairs.length = 0;
  const root = result as HeapNode;
  if (lone) return relinked(root, root.child, sizeOf(queue) - 1, edit);
  root.next = sizeOf(queue) - 1;
  return root;
}

/**
 * A queue of the given (id, time) entries; a null time is left out. Its nodes are made with
 * `edit` (null: a queue no one changes in place).
 */
export function timeQueueOf(
  entries: Iterable<readonly [string, number | null]>,
  edit: Edit | null = null,
): TimeQueue {
  let queue: TimeQueue = null;
  for (const [id, at] of entries) if (at !== null) queue = pushTime(queue, at, id, edit);
  return queue;
}

/** Every entry, earliest first (a copy is popped: the queue is not changed). */
export function timeQueueEntries(queue: TimeQueue): [string, number][] {
  const entries: [string, number][] = [];
  for (let rest = queue; rest !== null; rest = popTime(rest)) entries.push([rest.id, rest.at]);
  return entries;
}

// When each recording next needs a tick, as a persistent min-heap (a pairing heap): a tick pops
// only the recordings that are due instead of scanning them all. Pushing is O(1) (two nodes), so
// the many pushes (one per deadline change) stay cheap; popping pairs up the root's children.
// Entries are never updated in place: a recording whose deadline moved earlier gets a new entry
// (its one live entry), and the replaced one is dropped when it surfaces (see StepRun.fireDue);
// the core rebuilds the queue when replaced entries pile up, so its size stays bounded.

interface HeapNode {
  readonly at: number;
  readonly recording: string;
  /** Entries in this subtree. */
  readonly size: number;
  readonly children: Children;
}

/** The children of a node, as an immutable list. */
type Children = { readonly head: HeapNode; readonly tail: Children } | null;

/** An immutable queue of (time, recording) entries, earliest first. */
export type WakeQueue = HeapNode | null;

export const EMPTY_WAKE_QUEUE: WakeQueue = null;

// Ties go by recording id, so the order of due recordings never depends on history.
function before(a: HeapNode, b: HeapNode): boolean {
  return a.at < b.at || (a.at === b.at && a.recording < b.recording);
}

function meld(a: WakeQueue, b: WakeQueue): WakeQueue {
  if (a === null) return b;
  if (b === null) return a;
  const [low, high] = before(a, b) ? [a, b] : [b, a];
  return {
    at: low.at,
    recording: low.recording,
    size: low.size + high.size,
    children: { head: high, tail: low.children },
  };
}

export function pushWake(queue: WakeQueue, at: number, recording: string): WakeQueue {
  return meld(queue, { at, recording, size: 1, children: null });
}

/** How many entries the queue holds, live and replaced. */
export function wakeCount(queue: WakeQueue): number {
  return queue?.size ?? 0;
}

/** The earliest entry, or null. */
export function peekWake(queue: WakeQueue): { at: number; recording: string } | null {
  return queue;
}

export function popWake(queue: WakeQueue): WakeQueue {
  if (queue === null) return null;
  // Two-pass pairing: meld the children in pairs left to right, then fold right to left.
  const pairs: HeapNode[] = [];
  for (let list = queue.children; list !== null; list = list.tail?.tail ?? null) {
    const first = list.head;
    const second = list.tail?.head ?? null;
    pairs.push(meld(first, second) as HeapNode);
  }
  let result: WakeQueue = null;
  for (let i = pairs.length - 1; i >= 0; i -= 1) result = meld(pairs[i] as HeapNode, result);
  return result;
}

/** A queue of the given entries. */
export function wakeQueueOf(entries: Iterable<readonly [string, number | null]>): WakeQueue {
  let queue: WakeQueue = null;
  for (const [recording, at] of entries) if (at !== null) queue = pushWake(queue, at, recording);
  return queue;
}

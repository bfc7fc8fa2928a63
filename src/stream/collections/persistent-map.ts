// A persistent (immutable, structurally shared) hash map with string keys: a hash array mapped
// trie. Updates copy only the path to the changed leaf (a few small arrays), so the pure core
// can return a new state per input without copying thousands of recordings or keys.
//
// Replay folds millions of inputs into a state nobody else sees until the end; copying paths
// there is pure waste (most of replay's garbage). So an update may carry an `Edit` token, as
// Clojure's transients do: nodes created under a token belong to it and later updates with the
// same token change them in place. A map reached without the token (anything the caller passed
// in) is never changed: it is copied first, as usual. Whoever holds a token must not let a map
// built with it escape before it stops using the token.
import { Edit } from './edit.js';

const BITS = 5;
const MASK = (1 << BITS) - 1;
const MAX_SHIFT = 30;

// A leaf keeps no hash: it is recomputed on the rare split, and a hash above 2^30 would cost
// a boxed number per entry.
interface Leaf<V> {
  readonly kind: 0;
  readonly key: string;
  readonly value: V;
}

interface Branch<V> {
  readonly kind: 1;
  bitmap: number;
  children: Node<V>[];
  readonly edit: Edit | null;
}

interface Collision<V> {
  readonly kind: 2;
  readonly hash: number;
  readonly leaves: readonly Leaf<V>[];
}

type Node<V> = Branch<V> | Leaf<V> | Collision<V>;

/** FNV-1a, 32-bit: cheap, well spread for short ids. */
function hashOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i += 1) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function popcount(bits: number): number {
  let n = bits - ((bits >>> 1) & 0x55555555);
  n = (n & 0x33333333) + ((n >>> 2) & 0x33333333);
  return (((n + (n >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function branch<V>(bitmap: number, children: Node<V>[], edit: Edit | null): Branch<V> {
  return { kind: 1, bitmap, children, edit };
}

const EMPTY_ROOT: Branch<never> = branch(0, [], null);

/** One update's bookkeeping: the token it may edit with, and whether a key was added. */
interface Update {
  readonly edit: Edit | null;
  added: number;
}

/**
 * An immutable map from strings to values; `set` and `delete` return a new map sharing
 * everything that did not change. Iteration order depends only on the keys, not on history.
 * @example
 * const a = PersistentMap.empty<number>().set('S1', 1);
 * const b = a.set('S2', 2); // a still has one entry
 */
export class PersistentMap<V> {
  private static readonly EMPTY = new PersistentMap<never>(EMPTY_ROOT, 0, null);

  private constructor(
    private root: Branch<V>,
    private count: number,
    private readonly edit: Edit | null,
  ) {}

  static empty<V>(): PersistentMap<V> {
    return PersistentMap.EMPTY as PersistentMap<V>;
  }

  /** A map of these entries (later duplicates win). */
  static from<V>(entries: Iterable<readonly [string, V]>): PersistentMap<V> {
    const edit = new Edit();
    let map = PersistentMap.empty<V>();
    for (const [key, value] of entries) map = map.set(key, value, edit);
    return map;
  }

  /** Number of entries. */
  get size(): number {
    return this.count;
  }

  get(key: string): V | undefined {
    const hash = hashOf(key);
    let node: Node<V> = this.root;
    let shift = 0;
    for (;;) {
      if (node.kind === 0) return node.key === key ? node.value : undefined;
      if (node.kind === 2) return node.leaves.find((leaf) => leaf.key === key)?.value;
      const bit = 1 << ((hash >>> shift) & MASK);
      if ((node.bitmap & bit) === 0) return undefined;
      node = node.children[popcount(node.bitmap & (bit - 1))] as Node<V>;
      shift += BITS;
    }
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** The map with `key` set; with an `edit` token, nodes of that token are changed in place. */
  set(key: string, value: V, edit: Edit | null = null): PersistentMap<V> {
    const update: Update = { edit, added: 0 };
    const root = setIn(this.root, 0, hashOf(key), key, value, update) as Branch<V>;
    return this.next(root, this.count + update.added, edit);
  }

  delete(key: string, edit: Edit | null = null): PersistentMap<V> {
    if (this.count === 0 || this.get(key) === undefined) return this;
    const root = deleteIn(this.root, 0, hashOf(key), key, edit);
    return this.next((root ?? EMPTY_ROOT) as Branch<V>, this.count - 1, edit);
  }

  *entries(): IterableIterator<[string, V]> {
    for (const leaf of leavesOf(this.root)) yield [leaf.key, leaf.value];
  }

  *keys(): IterableIterator<string> {
    for (const leaf of leavesOf(this.root)) yield leaf.key;
  }

  *values(): IterableIterator<V> {
    for (const leaf of leavesOf(this.root)) yield leaf.value;
  }

  [Symbol.iterator](): IterableIterator<[string, V]> {
    return this.entries();
  }

  private next(root: Branch<V>, count: number, edit: Edit | null): PersistentMap<V> {
    if (edit !== null && this.edit === edit) {
      this.root = root;
      this.count = count;
      return this;
    }
    if (root === this.root && count === this.count) return this;
    return new PersistentMap(root, count, edit);
  }
}

// Every leaf, in the order a recursive walk takes (children left to right), by one generator
// with its path on a stack of its own. A generator per branch and an entry array per leaf took
// 3.5× as long: 0.34 against 0.10 µs a key over 100,000 recordings (docs/performance.md).
function* leavesOf<V>(root: Node<V>): IterableIterator<Leaf<V>> {
  const stack: Node<V>[] = [root];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node.kind === 0) yield node;
    else if (node.kind === 2) yield* node.leaves;
    else
      for (let i = node.children.length - 1; i >= 0; i -= 1)
        stack.push(node.children[i] as Node<V>);
  }
}

/** A branch the update may change: itself if the token owns it, else a copy the token owns. */
function editable<V>(node: Branch<V>, edit: Edit | null): Branch<V> {
  if (edit !== null && node.edit === edit) return node;
  return branch(node.bitmap, node.children.slice(), edit);
}

function setIn<V>(
  node: Node<V>,
  shift: number,
  hash: number,
  key: string,
  value: V,
  update: Update,
): Node<V> {
  if (node.kind === 0) {
    if (node.key === key) return Object.is(node.value, value) ? node : { kind: 0, key, value };
    update.added = 1;
    return merge(node, { kind: 0, key, value }, hash, shift, update.edit);
  }
  if (node.kind === 2) {
    const index = node.leaves.findIndex((leaf) => leaf.key === key);
    const leaves = node.leaves.slice();
    if (index < 0) {
      update.added = 1;
      // In key order, so the map's order depends on its keys alone, equal hashes included.
      const at = leaves.findIndex((leaf) => leaf.key > key);
      leaves.splice(at < 0 ? leaves.length : at, 0, { kind: 0, key, value });
    } else {
      leaves[index] = { kind: 0, key, value };
    }
    return { kind: 2, hash, leaves };
  }
  const bit = 1 << ((hash >>> shift) & MASK);
  const index = popcount(node.bitmap & (bit - 1));
  if ((node.bitmap & bit) === 0) {
    update.added = 1;
    const leaf: Leaf<V> = { kind: 0, key, value };
    // Copied exactly sized: an array's spare room would cost more than the leaf (an in-place
    // `splice` leaves room to grow, which a core that owns its state would keep for good).
    const children = new Array<Node<V>>(node.children.length + 1);
    for (let i = 0; i < index; i += 1) children[i] = node.children[i] as Node<V>;
    children[index] = leaf;
    for (let i = index; i < node.children.length; i += 1)
      children[i + 1] = node.children[i] as Node<V>;
    if (update.edit !== null && node.edit === update.edit) {
      node.children = children;
      node.bitmap |= bit;
      return node;
    }
    return branch(node.bitmap | bit, children, update.edit);
  }
  const child = node.children[index] as Node<V>;
  const next = setIn(child, shift + BITS, hash, key, value, update);
  if (next === child) return node;
  const target = editable(node, update.edit);
  target.children[index] = next;
  return target;
}

function merge<V>(
  a: Leaf<V>,
  b: Leaf<V>,
  hashB: number,
  shift: number,
  edit: Edit | null,
): Node<V> {
  const hashA = hashOf(a.key);
  if (shift > MAX_SHIFT || hashA === hashB)
    return { kind: 2, hash: hashA, leaves: a.key < b.key ? [a, b] : [b, a] };
  const bitA = (hashA >>> shift) & MASK;
  const bitB = (hashB >>> shift) & MASK;
  if (bitA === bitB) return branch(1 << bitA, [merge(a, b, hashB, shift + BITS, edit)], edit);
  return branch((1 << bitA) | (1 << bitB), bitA < bitB ? [a, b] : [b, a], edit);
}

function deleteIn<V>(
  node: Node<V>,
  shift: number,
  hash: number,
  key: string,
  edit: Edit | null,
): Node<V> | null {
  if (node.kind === 0) return node.key === key ? null : node;
  if (node.kind === 2) {
    const leaves = node.leaves.filter((leaf) => leaf.key !== key);
    if (leaves.length === node.leaves.length) return node;
    return leaves.length === 1 ? (leaves[0] as Leaf<V>) : { kind: 2, hash: node.hash, leaves };
  }
  const bit = 1 << ((hash >>> shift) & MASK);
  if ((node.bitmap & bit) === 0) return node;
  const index = popcount(node.bitmap & (bit - 1));
  const child = node.children[index] as Node<V>;
  const next = deleteIn(child, shift + BITS, hash, key, edit);
  if (next === child) return node;
  if (next === null) {
    const bitmap = node.bitmap & ~bit;
    if (bitmap === 0) return null;
    // A lone leaf moves up, so lookups stay short and equal maps have equal shapes.
    if (node.children.length === 2 && shift > 0) {
      const other = node.children[index === 0 ? 1 : 0] as Node<V>;
      if (other.kind !== 1) return other;
    }
    const target = editable(node, edit);
    target.children.splice(index, 1);
    target.bitmap = bitmap;
    return target;
  }
  if (node.children.length === 1 && next.kind !== 1 && shift > 0) return next;
  const target = editable(node, edit);
  target.children[index] = next;
  return target;
}

// A persistent (immutable, structurally shared) hash map with string keys: a hash array mapped
// trie. Updates copy only the path to the changed leaf (a few small arrays), so the pure core
// can return a new state per input without copying thousands of recordings or keys.

const BITS = 5;
const MASK = (1 << BITS) - 1;
const MAX_SHIFT = 30;

type Node<V> = Branch<V> | Leaf<V> | Collision<V>;

interface Leaf<V> {
  readonly kind: 0;
  readonly hash: number;
  readonly key: string;
  readonly value: V;
}

interface Branch<V> {
  readonly kind: 1;
  readonly bitmap: number;
  readonly children: readonly Node<V>[];
}

interface Collision<V> {
  readonly kind: 2;
  readonly hash: number;
  readonly leaves: readonly Leaf<V>[];
}

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

const EMPTY_BRANCH: Branch<never> = { kind: 1, bitmap: 0, children: [] };

/**
 * An immutable map from strings to values; `set` and `delete` return a new map sharing
 * everything that did not change. Iteration order depends only on the keys, not on history.
 * @example
 * const a = PersistentMap.empty<number>().set('S1', 1);
 * const b = a.set('S2', 2); // a still has one entry
 */
export class PersistentMap<V> {
  private static readonly EMPTY = new PersistentMap<never>(EMPTY_BRANCH, 0);

  private constructor(
    private readonly root: Branch<V>,
    /** Number of entries. */
    readonly size: number,
  ) {}

  static empty<V>(): PersistentMap<V> {
    return PersistentMap.EMPTY as PersistentMap<V>;
  }

  /** A map of these entries (later duplicates win). */
  static from<V>(entries: Iterable<readonly [string, V]>): PersistentMap<V> {
    let map = PersistentMap.empty<V>();
    for (const [key, value] of entries) map = map.set(key, value);
    return map;
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

  set(key: string, value: V): PersistentMap<V> {
    const added = { count: 0 };
    const root = setIn(this.root, 0, hashOf(key), key, value, added) as Branch<V>;
    return root === this.root ? this : new PersistentMap(root, this.size + added.count);
  }

  delete(key: string): PersistentMap<V> {
    const root = deleteIn(this.root, 0, hashOf(key), key);
    if (root === this.root) return this;
    return new PersistentMap((root ?? EMPTY_BRANCH) as Branch<V>, this.size - 1);
  }

  /** Returns a map with `key` updated by `update` (given undefined when absent). */
  update(key: string, update: (current: V | undefined) => V): PersistentMap<V> {
    return this.set(key, update(this.get(key)));
  }

  *entries(): IterableIterator<[string, V]> {
    yield* walk(this.root);
  }

  *keys(): IterableIterator<string> {
    for (const [key] of walk(this.root)) yield key;
  }

  *values(): IterableIterator<V> {
    for (const [, value] of walk(this.root)) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, V]> {
    return this.entries();
  }
}

function* walk<V>(node: Node<V>): IterableIterator<[string, V]> {
  if (node.kind === 0) yield [node.key, node.value];
  else if (node.kind === 2) for (const leaf of node.leaves) yield [leaf.key, leaf.value];
  else for (const child of node.children) yield* walk(child);
}

function setIn<V>(
  node: Node<V>,
  shift: number,
  hash: number,
  key: string,
  value: V,
  added: { count: number },
): Node<V> {
  if (node.kind === 0) {
    if (node.key === key)
      return Object.is(node.value, value) ? node : { kind: 0, hash, key, value };
    added.count = 1;
    return merge(node, { kind: 0, hash, key, value }, shift);
  }
  if (node.kind === 2) {
    const index = node.leaves.findIndex((leaf) => leaf.key === key);
    if (index < 0) {
      added.count = 1;
      return { kind: 2, hash, leaves: [...node.leaves, { kind: 0, hash, key, value }] };
    }
    const leaves = node.leaves.slice();
    leaves[index] = { kind: 0, hash, key, value };
    return { kind: 2, hash, leaves };
  }
  const bit = 1 << ((hash >>> shift) & MASK);
  const index = popcount(node.bitmap & (bit - 1));
  if ((node.bitmap & bit) === 0) {
    added.count = 1;
    const children = node.children.slice();
    children.splice(index, 0, { kind: 0, hash, key, value });
    return { kind: 1, bitmap: node.bitmap | bit, children };
  }
  const child = node.children[index] as Node<V>;
  const next = setIn(child, shift + BITS, hash, key, value, added);
  if (next === child) return node;
  const children = node.children.slice();
  children[index] = next;
  return { kind: 1, bitmap: node.bitmap, children };
}

function merge<V>(a: Leaf<V>, b: Leaf<V>, shift: number): Node<V> {
  if (shift > MAX_SHIFT || a.hash === b.hash) return { kind: 2, hash: a.hash, leaves: [a, b] };
  const bitA = (a.hash >>> shift) & MASK;
  const bitB = (b.hash >>> shift) & MASK;
  if (bitA === bitB) {
    return { kind: 1, bitmap: 1 << bitA, children: [merge(a, b, shift + BITS)] };
  }
  return {
    kind: 1,
    bitmap: (1 << bitA) | (1 << bitB),
    children: bitA < bitB ? [a, b] : [b, a],
  };
}

function deleteIn<V>(node: Node<V>, shift: number, hash: number, key: string): Node<V> | null {
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
  const next = deleteIn(child, shift + BITS, hash, key);
  if (next === child) return node;
  if (next === null) {
    const bitmap = node.bitmap & ~bit;
    if (bitmap === 0) return null;
    const children = node.children.filter((_, i) => i !== index);
    // A lone leaf moves up, so lookups stay short and equal maps have equal shapes.
    if (children.length === 1 && (children[0] as Node<V>).kind !== 1 && shift > 0) {
      return children[0] as Node<V>;
    }
    return { kind: 1, bitmap, children };
  }
  const children = node.children.slice();
  children[index] = next;
  if (children.length === 1 && next.kind !== 1 && shift > 0) return next;
  return { kind: 1, bitmap: node.bitmap, children };
}

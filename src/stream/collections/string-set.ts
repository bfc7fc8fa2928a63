// A persistent set of strings: a hash array mapped trie whose leaves are the strings themselves.
// PersistentMap keeps a leaf object (key, value, hash) per entry; a set needs none of it, so a
// key costs one slot in a branch's array (and its share of the branch), close to a JS Set entry.
// Updates copy only the path to the changed slot; an edit token lets its owner change in place.
import { Edit } from './edit.js';

const BITS = 5;
const MASK = (1 << BITS) - 1;
const MAX_SHIFT = 30;

interface Branch {
  bitmap: number;
  slots: Slot[];
  /** Strings in this subtree: at the root, the size of the set. */
  size: number;
  readonly edit: Edit | null;
}

/** Strings whose hashes are equal in every bit. */
type Collision = readonly string[];

type Slot = string | Branch | Collision;

/**
 * An immutable set of strings (its root branch: no wrapper object, `size` is the root's);
 * `withString` returns a new one sharing what did not change.
 */
export type StringSet = Readonly<Branch>;

/** The empty set. */
export const EMPTY_STRING_SET: StringSet = { bitmap: 0, slots: [], size: 0, edit: null };

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

const isBranch = (slot: Slot): slot is Branch => typeof slot === 'object' && !Array.isArray(slot);

/**
 * Whether the set holds `key`.
 * @example hasString(withString(EMPTY_STRING_SET, 'a'), 'a') // true
 */
export function hasString(set: StringSet, key: string): boolean {
  const hash = hashOf(key);
  let node: Slot = set as Branch;
  for (let shift = 0; ; shift += BITS) {
    if (typeof node === 'string') return node === key;
    if (!isBranch(node)) return node.includes(key);
    const bit = 1 << ((hash >>> shift) & MASK);
    if ((node.bitmap & bit) === 0) return false;
    node = node.slots[popcount(node.bitmap & (bit - 1))] as Slot;
  }
}

/**
 * The set with `key` added (the same set if it was there). With an edit token, branches made
 * under that token are changed in place.
 * @example const set = withString(EMPTY_STRING_SET, 'a');
 */
export function withString(set: StringSet, key: string, edit: Edit | null = null): StringSet {
  return addIn(set as Branch, 0, hashOf(key), key, edit);
}

/** Every string of the set, in an order that depends only on its contents. */
export function stringsOf(set: StringSet): IterableIterator<string> {
  return walk(set as Branch);
}

/** A set of these strings (built in place under a token of its own, which then goes). */
export function stringSetOf(keys: Iterable<string>): StringSet {
  const edit = new Edit();
  let set = EMPTY_STRING_SET;
  for (const key of keys) set = withString(set, key, edit);
  return set;
}

// One generator for the whole walk, its path on a stack of its own, in the order a recursive
// walk takes (children left to right). A generator per branch (`yield*` down the trie) took
// 4× as long: 0.15 against 0.035 µs a string, and 40% of a snapshot's text in the webhook
// bench (docs/performance.md).
function* walk(root: Slot): IterableIterator<string> {
  const stack: Slot[] = [root];
  for (let slot = stack.pop(); slot !== undefined; slot = stack.pop()) {
    if (typeof slot === 'string') yield slot;
    else if (!isBranch(slot)) yield* slot;
    else for (let i = slot.slots.length - 1; i >= 0; i -= 1) stack.push(slot.slots[i] as Slot);
  }
}

/** A copy of `slots` with `slot` put at `index`, exactly as long as it needs (no spare room). */
function inserted(slots: readonly Slot[], index: number, slot: Slot): Slot[] {
  const copy = new Array<Slot>(slots.length + 1);
  for (let i = 0; i < index; i += 1) copy[i] = slots[i] as Slot;
  copy[index] = slot;
  for (let i = index; i < slots.length; i += 1) copy[i + 1] = slots[i] as Slot;
  return copy;
}

// A branch the token owns changes in place; any other is copied, its arrays exactly sized (a
// persistent set is mostly small branches, and an array's spare room would double them).
function addIn(node: Branch, shift: number, hash: number, key: string, edit: Edit | null): Branch {
  const bit = 1 << ((hash >>> shift) & MASK);
  const index = popcount(node.bitmap & (bit - 1));
  const owned = edit !== null && node.edit === edit;
  if ((node.bitmap & bit) === 0) {
    if (owned) {
      // A new array exactly sized: an in-place `splice` leaves room that a live set keeps.
      node.slots = inserted(node.slots, index, key);
      node.bitmap |= bit;
      node.size += 1;
      return node;
    }
    return {
      bitmap: node.bitmap | bit,
      slots: inserted(node.slots, index, key),
      size: node.size + 1,
      edit,
    };
  }
  const slot = node.slots[index] as Slot;
  let next: Slot;
  if (typeof slot === 'string') {
    if (slot === key) return node;
    next = split(slot, key, hash, shift + BITS, edit);
  } else if (!isBranch(slot)) {
    if (slot.includes(key)) return node;
    // In order, so the set's order depends on its strings alone, equal hashes included.
    const at = slot.findIndex((one) => one > key);
    next = at < 0 ? [...slot, key] : [...slot.slice(0, at), key, ...slot.slice(at)];
  } else {
    // Read first: a branch the token owns grows in place.
    const before = slot.size;
    next = addIn(slot, shift + BITS, hash, key, edit);
    if (next.size === before) return node;
  }
  if (owned) {
    node.slots[index] = next;
    node.size += 1;
    return node;
  }
  const slots = node.slots.slice();
  slots[index] = next;
  return { bitmap: node.bitmap, slots, size: node.size + 1, edit };
}

/** The smallest subtree holding two strings whose hashes agree below `shift`. */
function split(a: string, b: string, hashB: number, shift: number, edit: Edit | null): Slot {
  const hashA = hashOf(a);
  if (shift > MAX_SHIFT || hashA === hashB) return a < b ? [a, b] : [b, a];
  const bitA = (hashA >>> shift) & MASK;
  const bitB = (hashB >>> shift) & MASK;
  if (bitA === bitB)
    return { bitmap: 1 << bitA, slots: [split(a, b, hashB, shift + BITS, edit)], size: 2, edit };
  return { bitmap: (1 << bitA) | (1 << bitB), slots: bitA < bitB ? [a, b] : [b, a], size: 2, edit };
}

// A set of strings for dedupe's memory: persistent (a StringSet) for anyone, and a plain JS
// Set while a replay owns it. A replay's fold changes its own sets in place (an edit token, as
// in PersistentMap): a JS Set looks up a string in a fraction of a trie's time, and most of a
// replay's dedupe work is lookups. Anyone without the token gets a persistent copy on their
// first change, so an owned set is never changed under someone else's feet.
import type { Edit } from './edit.js';
import {
  EMPTY_STRING_SET,
  hasString,
  type StringSet,
  stringSetOf,
  stringsOf,
  withString,
} from './string-set.js';

/** Dedupe's set of keys: persistent, or a JS Set its edit token owns. */
export type KeySet = StringSet | OwnedKeys;

/** A JS Set that only its edit token may change. */
export class OwnedKeys {
  constructor(
    readonly keys: Set<string>,
    readonly edit: Edit,
  ) {}
}

/** The empty key set. */
export const EMPTY_KEY_SET: KeySet = EMPTY_STRING_SET;

/** Whether the set holds `key`. */
export function hasKey(set: KeySet, key: string): boolean {
  return set instanceof OwnedKeys ? set.keys.has(key) : hasString(set, key);
}

/** How many keys the set holds. */
export function keyCount(set: KeySet): number {
  return set instanceof OwnedKeys ? set.keys.size : set.size;
}

/**
 * The set with `key` added: in place if `edit` owns it; otherwise a new one. `compact`: under a
 * token, keep the compact trie (changed in place where the token owns it) instead of taking it
 * over as a JS Set: lighter on memory (a core that lives long holds a set per sid), slower to
 * look up than a Set (what a replay wants).
 */
export function withKey(set: KeySet, key: string, edit: Edit | null, compact = false): KeySet {
  if (set instanceof OwnedKeys) {
    if (set.edit === edit) {
      set.keys.add(key);
      return set;
    }
    return withString(stringSetOf(set.keys), key, compact ? edit : null);
  }
  if (edit === null || compact) return withString(set, key, edit);
  // A replay takes over a set it did not make by copying it into one it owns.
  return new OwnedKeys(new Set([...stringsOf(set), key]), edit);
}

/** Every key, in no particular order. */
export function keysOf(set: KeySet): Iterable<string> {
  return set instanceof OwnedKeys ? set.keys : stringsOf(set);
}

/** A persistent set of these keys. */
export function keySetOf(keys: Iterable<string>): KeySet {
  return stringSetOf(keys);
}

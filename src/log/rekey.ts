// Stored entries under the keys this recwatch computes: when `idempotencyKeys` changes, a store's
// migration gives every entry it affects its new keys, so a resend of something stored before the
// upgrade is still a repeat after it.
import { decodeItem } from './codec.js';
import { type IdempotencyKeys, idempotencyKeys } from './keys.js';

/**
 * The SQL condition (SQLite and PostgreSQL alike) on `entries.stream` of the entries whose keys
 * changed with SQLite log schema 2 and PostgreSQL log schema 4: notifications (`sid-*`) and
 * rejects (notification keys now name the recorder uid and scope a noticeId to its sid; a reject
 * is keyed by its content, not its receive time).
 */
export const REKEYED_STREAMS = "(stream = 'rejects' OR substr(stream, 1, 4) = 'sid-')";

/** Entries a migration reads and re-keys per round. */
export const REKEY_PAGE = 1000;

/**
 * The keys this recwatch gives an entry stored as `text` (the codec's JSON); null when the text
 * does not decode (the entry keeps its keys, and a reader reports it where it is read).
 * @example keysOfStored(encodeItem(item)) // idempotencyKeys(item)
 */
export function keysOfStored(text: string): IdempotencyKeys | null {
  try {
    return idempotencyKeys(decodeItem(text));
  } catch {
    return null;
  }
}

// Which notifications may wait for a missing predecessor (rule 9: hold only what the order can
// change). Life events, files and stream news mean the same whatever came before them, so they
// pass at once. Quit notices (11, 31, 32, 41, 71, 72) and failover news (12, a fatal error 1)
// do not: which quit came first gives the reason (an idle leave, then the exit it causes, must
// not read as a plain exit), a hint is cleared by the life that follows it, a 12 moves the
// recorder uid. They wait only behind a gap in their own recorder's stream, and only until it
// fills, a later one of the stream passes, or the hold runs out. The machine is also told when a
// notification is late, so a hint or a 12 stays right even when it was not held.
import type { Notification } from '../signals/index.js';

/** Event types whose meaning depends on what their recorder said before (see above). */
const ORDER_SENSITIVE: ReadonlySet<number> = new Set([1, 11, 12, 31, 32, 41, 71, 72]);

/**
 * Whether a notification may be held for a missing predecessor of its recorder's stream.
 * @example orderMatters(parsed) // true for a 12 or an 11, false for a 40 or a 43
 */
export function orderMatters(notification: Pick<Notification, 'eventType'>): boolean {
  return ORDER_SENSITIVE.has(notification.eventType);
}

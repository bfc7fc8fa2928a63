// What a time is, wherever one is received: ms since the epoch, an integer within the range a
// JavaScript Date can show. Anything else (Infinity from a 310-digit string, 1e22, a fraction)
// is rejected with its reason, so no deadline, order or snapshot ever meets it.

/** The latest time a `Date` can hold: 8.64e15 ms, in the year 275760. */
export const MAX_TIME_MS = 8_640_000_000_000_000;

/**
 * Whether `value` is a time: an integer count of ms in 0..MAX_TIME_MS.
 * @example isTime(1_700_000_000_000) // true
 * isTime(1e22) // false
 */
export function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_TIME_MS;
}

/** The problem a time that is not one is rejected with. */
export const TIME_PROBLEM = `expected a time: an integer count of ms from 0 to ${MAX_TIME_MS}`;

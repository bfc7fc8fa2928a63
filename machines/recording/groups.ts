// The context's groups in their empty forms, one frozen object each, shared by every recording
// that has nothing to keep there (most of a large fleet, most of the time).
import type { Failover, Monitoring } from './types.js';

/** An empty list, shared: no recording allocates its own. */
export const NONE: readonly never[] = Object.freeze([]);

/** A session without failovers, hints or new recorders: every new session starts here. */
export const NO_FAILOVER: Failover = Object.freeze({
  haAttempts: 0,
  filePrefix: '',
  recorder: null,
  recorderSince: null,
  newRecorders: NONE,
  hint: null,
});

/** Nothing in doubt, no back-off, no query answered yet: a new session's monitoring. */
export const UNMONITORED: Monitoring = Object.freeze({
  uncertainSince: null,
  backoff: null,
  answered: false,
});

/** Nothing in doubt, no back-off, a query answered: a healthy recording's monitoring. */
export const ANSWERED: Monitoring = Object.freeze({
  uncertainSince: null,
  backoff: null,
  answered: true,
});

/** The monitoring group with `changes`, or the same object when they change nothing. */
export function withMonitoring(current: Monitoring, changes: Partial<Monitoring>): Monitoring {
  let same = true;
  for (const key in changes) {
    if (changes[key as keyof Monitoring] !== current[key as keyof Monitoring]) same = false;
  }
  if (same) return current;
  const next = { ...current, ...changes };
  if (next.uncertainSince !== null || next.backoff !== null) return next;
  return next.answered ? ANSWERED : UNMONITORED;
}

/** The failover group with `changes`, or the same object when they change nothing. */
export function withFailover(current: Failover, changes: Partial<Failover>): Failover {
  let same = true;
  for (const key in changes) {
    if (changes[key as keyof Failover] !== current[key as keyof Failover]) same = false;
  }
  return same ? current : { ...current, ...changes };
}

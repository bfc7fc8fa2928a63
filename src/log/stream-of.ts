import { wellFormed } from './checks.js';
import { notificationIdentity } from './notification-identity.js';
import type { LogItem } from './types.js';

/**
 * The stream an item belongs in: `recording-<id>` for records that name a recording,
 * `sid-<sid>` for notifications (they name a session, not a recording), `clock` for ticks,
 * `process` for a process's options and resumes of the whole log, `rejects` for rejects. Ids that are not well-formed Unicode are escaped (see `wellFormed`).
 * @example streamOf({ kind: 'input', at: 1, record: { at: 1, type: 'stop', recording: 'r1' } }) // 'recording-r1'
 */
export function streamOf(item: LogItem): string {
  if (item.kind === 'reject') return 'rejects';
  const record = item.record;
  if (record.type === 'tick') return 'clock';
  // What a process says of itself (rule 12): its options, a resume of the whole log.
  if (record.type === 'options') return 'process';
  if (record.type !== 'notification') {
    const { recording } = record;
    return recording === undefined ? 'process' : `recording-${wellFormed(recording)}`;
  }
  const identity = notificationIdentity(record);
  // Unreachable for validated inputs: a notification whose sid cannot be read has no session.
  return identity === null ? 'rejects' : `sid-${wellFormed(identity.sid)}`;
}

import { wellFormed } from './checks.js';
import { notificationIdentity } from './notification-identity.js';
import type { LogItem } from './types.js';

/**
 * The stream an item belongs in: `recording-<id>` for records that name a recording,
 * `sid-<sid>` for notifications (they name a session, not a recording), `clock` for ticks,
 * `rejects` for rejects. Ids that are not well-formed Unicode are escaped (see `wellFormed`).
 * @example streamOf({ kind: 'input', at: 1, record: { at: 1, type: 'stop', recording: 'r1' } }) // 'recording-r1'
 */
export function streamOf(item: LogItem): string {
  if (item.kind === 'reject') return 'rejects';
  const record = item.record;
  if (record.type === 'tick') return 'clock';
  if (record.type !== 'notification') return `recording-${wellFormed(record.recording)}`;
  const identity = notificationIdentity(record);
  // Unreachable for validated inputs: a notification whose sid cannot be read has no session.
  return identity === null ? 'rejects' : `sid-${wellFormed(identity.sid)}`;
}

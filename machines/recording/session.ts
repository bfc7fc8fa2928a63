import type { RecordingContext, SessionCall } from './types.js';

/**
 * The session a REST call concerns, or null when there is none. Effects are built only from
 * one, so none carries an empty sid or resourceId.
 * @example currentSession(context)?.sid // 'S1'
 */
export function currentSession(context: RecordingContext): SessionCall | null {
  const { sid, resourceId, mode, cname, sessionUid } = context;
  if (sid === null || sid === '' || resourceId === null || resourceId === '') return null;
  if (mode === null || cname === null || sessionUid === null) return null;
  return { sid, resourceId, mode, cname, uid: sessionUid };
}

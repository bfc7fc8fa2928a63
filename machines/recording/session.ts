import type { RecordingContext, Session } from './types.js';

/**
 * The session a REST call concerns, or null when there is none (effects are built from it).
 * @example currentSession(context)?.sid // 'S1'
 */
export function currentSession(context: Pick<RecordingContext, 'session'>): Session | null {
  return context.session;
}

/**
 * The recorder's uid: the one a failover moved it to, else the session's own; null without one.
 * @example recorderUid(context) // '1001'
 */
export function recorderUid(
  context: Pick<RecordingContext, 'session' | 'failover'>,
): string | null {
  return context.failover.recorder ?? context.session?.uid ?? null;
}

/** Whether the session has shown a recorder with this uid (its own or a new one). */
export function recorderSeen(
  context: Pick<RecordingContext, 'session' | 'failover'>,
  uid: string,
): boolean {
  return context.session?.uid === uid || context.failover.newRecorders.includes(uid);
}

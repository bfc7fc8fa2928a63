// What the shell reads of a recording's state to run an effect. Effects carry only sid and
// resourceId today; the rest (cname, recorder uid, mode) comes from the recording's context here,
// in one place, so it can go once effects carry it themselves.
import {
  type LifecycleState,
  lifecycleState,
  type RecordingContext,
} from '../../machines/index.js';
import type { SessionRef } from '../agora/index.js';
import type { CoreState } from '../core/index.js';
import type { CallPriority } from './scheduler.js';

/** The recording's context and top-level state, or undefined when the core does not know it. */
export function recordingOf(
  state: CoreState,
  recording: string,
):
  | {
      readonly context: RecordingContext;
      readonly lifecycle: LifecycleState;
      readonly active: boolean;
    }
  | undefined {
  const entry = state.recordings.get(recording);
  if (entry === undefined) return undefined;
  return {
    context: entry.snapshot.context,
    lifecycle: lifecycleState(entry.snapshot),
    active: entry.snapshot.status === 'active',
  };
}

/** The session a `query` or `stop` effect is about, completed from the recording's context. */
export function sessionOf(
  state: CoreState,
  effect: { readonly recording: string; readonly sid: string; readonly resourceId: string },
): SessionRef {
  const context = recordingOf(state, effect.recording)?.context;
  return {
    resourceId: effect.resourceId,
    sid: effect.sid,
    mode: context?.mode ?? 'mix',
    cname: context?.cname ?? '',
    // The uid the session was started with: Agora matches it against the acquire, and a
    // failover's new recorder uid is refused (400 code 432).
    uid: context?.attempt?.uid ?? context?.primaryUid ?? context?.uid ?? '',
  };
}

/**
 * A query is routine when it is the regular poll of a healthy recording; anything else (first
 * queries, 404 probing, back-off after errors, a failover, a fatal error event) is urgent.
 */
export function queryPriority(state: CoreState, recording: string): CallPriority {
  const found = recordingOf(state, recording);
  if (found === undefined) return 'urgentQuery';
  const { context, lifecycle } = found;
  const healthy =
    context.backoff === null && context.failoverHint === null && context.uncertainSince === null;
  return lifecycle === 'recording' && healthy ? 'routineQuery' : 'urgentQuery';
}

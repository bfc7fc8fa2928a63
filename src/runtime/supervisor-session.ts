// What the shell reads of a recording to run its effects and schedule its queries.
import {
  type Effect,
  type LifecycleState,
  lifecycleState,
  type RecordingContext,
  type SessionCall,
} from '../../machines/index.js';
import type { SessionRef } from '../agora/index.js';
import type { CoreState } from '../core/index.js';

/** A `query` or `stop` of a session, as the core gives it. */
export type SessionEffect = Extract<Effect, { readonly type: 'query' | 'stop' }>;

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

/** What the REST client needs of a `query` or `stop` effect: the effect carries all of it. */
export function sessionRef(effect: SessionCall): SessionRef {
  const { resourceId, sid, mode, cname, uid } = effect;
  return { resourceId, sid, mode, cname, uid };
}

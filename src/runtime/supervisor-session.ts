// What the shell reads of a recording to run its effects and schedule its queries.
import {
  type LifecycleState,
  lifecycleState,
  type RecordingContext,
  type SessionCall,
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

/** What the REST client needs of a `query` or `stop` effect: the effect carries all of it. */
export function sessionRef(effect: SessionCall): SessionRef {
  const { resourceId, sid, mode, cname, uid } = effect;
  return { resourceId, sid, mode, cname, uid };
}

/**
 * A query is routine when it is the regular poll of a healthy recording; anything else (first
 * queries, 404 probing, back-off after errors, a failover, a fatal error event) is urgent.
 */
export function queryPriority(state: CoreState, recording: string): CallPriority {
  const found = recordingOf(state, recording);
  if (found === undefined) return 'urgentQuery';
  const { context, lifecycle } = found;
  const { monitoring, failover } = context;
  const healthy =
    monitoring.backoff === null && failover.hint === null && monitoring.uncertainSince === null;
  return lifecycle === 'recording' && healthy ? 'routineQuery' : 'urgentQuery';
}

// What a supervisor does first on a log that already holds recordings: the plan of resume.
import { currentSession, type Effect } from '../../machines/index.js';
import type { CoreState } from '../core/index.js';
import type { RecordingMode } from '../signals/index.js';
import type { StartIntent } from './supervisor-intents.js';
import { recordingOf } from './supervisor-session.js';

/** A session to query or stop again: the effect the core would give. */
export type SessionEffect = Extract<Effect, { readonly type: 'query' | 'stop' }>;

/** What to do on resume, recording by recording. */
export interface ResumePlan {
  /** Intents whose start was answered before the host died: nothing to settle. */
  readonly forgetIntents: readonly string[];
  /** Starts the core issued whose acquire had not reached the point of no return: send them now. */
  readonly resend: readonly {
    recording: string;
    cname: string;
    uid: string;
    mode: RecordingMode;
  }[];
  /** Starts that may have reached Agora with no answer logged: settle them (supervisor-settle.ts). */
  readonly settle: readonly StartIntent[];
  /** Recordings stopping: the stop may not have been sent. Stop is safe to repeat (400 code 49). */
  readonly stop: readonly SessionEffect[];
  /** Live sessions whose last query is older than their poll interval. */
  readonly query: readonly SessionEffect[];
}

/**
 * Plans the resume of a rebuilt state: pure, so it is tested without a network.
 * `pollIntervalMs` is the host's (the core's options are configuration, not state).
 * @example planResume(journal.state, intents.all(), clock.now(), 60_000).query // sessions to query now
 */
export function planResume(
  state: CoreState,
  intents: readonly StartIntent[],
  now: number,
  pollIntervalMs: number,
): ResumePlan {
  const byRecording = new Map(intents.map((intent) => [intent.recording, intent]));
  const plan = {
    forgetIntents: [] as string[],
    resend: [] as ResumePlan['resend'][number][],
    settle: [] as StartIntent[],
    stop: [] as SessionEffect[],
    query: [] as SessionEffect[],
  };
  for (const id of [...state.recordings.keys()].sort()) {
    const found = recordingOf(state, id);
    if (found === undefined || !found.active) continue;
    const { context, lifecycle } = found;
    const { attempt, host } = context;
    if (attempt?.inFlight === true && host !== null) {
      const intent = byRecording.get(id);
      if (intent !== undefined && intent.uid === attempt.uid) {
        plan.settle.push(intent);
        byRecording.delete(id);
      } else
        plan.resend.push({
          recording: id,
          cname: host.cname,
          uid: attempt.uid,
          mode: host.mode,
        });
      continue;
    }
    const call = currentSession(context);
    if (call === null) continue;
    const session = { kind: 'effect' as const, recording: id, ...call };
    if (lifecycle === 'stopping') plan.stop.push({ ...session, type: 'stop' });
    else if (
      lifecycle === 'starting' ||
      lifecycle === 'recording' ||
      lifecycle === 'failoverPending'
    ) {
      const last = context.lastQuery?.at;
      if (last === undefined || now - last >= pollIntervalMs)
        plan.query.push({ ...session, type: 'query' });
    }
  }
  plan.forgetIntents.push(...byRecording.keys());
  return plan;
}

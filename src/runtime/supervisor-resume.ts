// What a supervisor does first on a log that already holds recordings: the plan of resume.
import type { CoreState } from '../core/index.js';
import type { RecordingMode } from '../signals/index.js';
import type { StartIntent } from './supervisor-intents.js';
import { recordingOf } from './supervisor-session.js';

/** A session to query or stop again. */
export interface SessionEffect {
  readonly kind: 'effect';
  readonly type: 'query' | 'stop';
  readonly recording: string;
  readonly sid: string;
  readonly resourceId: string;
}

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
 * @example planResume(journal.state, intents.all(), clock.now()).query // sessions to query now
 */
export function planResume(
  state: CoreState,
  intents: readonly StartIntent[],
  now: number,
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
    const attempt = context.attempt;
    if (attempt?.inFlight === true && context.cname !== null && context.mode !== null) {
      const intent = byRecording.get(id);
      if (intent !== undefined && intent.uid === attempt.uid) {
        plan.settle.push(intent);
        byRecording.delete(id);
      } else
        plan.resend.push({
          recording: id,
          cname: context.cname,
          uid: attempt.uid,
          mode: context.mode,
        });
      continue;
    }
    if (context.sid === null || context.resourceId === null) continue;
    const session = {
      kind: 'effect' as const,
      recording: id,
      sid: context.sid,
      resourceId: context.resourceId,
    };
    if (lifecycle === 'stopping') plan.stop.push({ ...session, type: 'stop' });
    else if (
      lifecycle === 'starting' ||
      lifecycle === 'recording' ||
      lifecycle === 'failoverPending'
    ) {
      const last = context.lastQuery?.at;
      if (last === undefined || now - last >= context.options.pollIntervalMs)
        plan.query.push({ ...session, type: 'query' });
    }
  }
  plan.forgetIntents.push(...byRecording.keys());
  return plan;
}

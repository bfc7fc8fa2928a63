// The lifecycle of one supervised recording, as docs/lifecycle.md states it. The chart:
//
//   idle ─start─► starting ──────── life ────────► recording ◄──── life ───── failoverPending
//                 acquiring ─started─► confirming   healthy                     announced (a 12)
//                  (calling ⇄ waiting)
//                 probing (404) · uncertain (50x)   probing (404) ──12──────►   suspected (hint,
//                   │ no life in 90 s               uncertain (50x) ─hint+404s─►   then only 404s)
//                   │ quit evidence                   │ quit evidence             │ 90 s, 4th 12
//                   ▼                                 ▼                           ▼
//                 quit.deciding ─► restarting (waiting ⇄ calling) ─started─► starting.confirming
//                               ─► failed (budget spent; any 40x configuration error too)
//                               ─► quit.forGood (reason excluded, or restarts off: budget 0)
//   stop ─► stopping (awaitingSession ─started─► requested ⇄ refused) ─► stopped
//   (a stop while acquiring.waiting or restarting.waiting: stopped at once; nothing is out)
//                                                                stopped and failed are final
//
// Read the states below top to bottom: each transition names its guard (when, composed with
// XState's and/or/not over named guards) and its reactions (what it does). Time is an input:
// deadlines live in context and a `tick` fires the ones that are due.
import { and, not, or, setup } from 'xstate';
import { NO_FAILOVER, NONE, UNMONITORED } from './recording/groups.js';
import * as is from './recording/guards.js';
import { DEFAULT_RECORDING_OPTIONS } from './recording/options.js';
import { react } from './recording/react.js';
import * as to from './recording/reactions.js';
import { NO_DEADLINES } from './recording/schedule.js';
import type {
  RecordingContext,
  RecordingEvent,
  RecordingInput,
  RecordingOptions,
  RecordingOutput,
} from './recording/types.js';

/** Every guard of guards.ts, in XState's shape, reading these options. */
const guardsWith = (options: RecordingOptions) =>
  mapValues(
    is,
    (predicate: is.Guard) =>
      ({ context, event }: GuardArgs) =>
        predicate(context, event, options),
  );

interface GuardArgs {
  readonly context: RecordingContext;
  readonly event: RecordingEvent;
}

function mapValues<T extends Record<string, unknown>, R>(
  source: T,
  map: (value: T[keyof T]) => R,
): { [K in keyof T]: R } {
  const out: Partial<Record<keyof T, R>> = {};
  for (const key of Object.keys(source) as (keyof T)[]) out[key] = map(source[key]);
  return out as { [K in keyof T]: R };
}

/**
 * The context of a new recording: no host, no session, every group empty (shared constants).
 * @example initialContext({ recording: 'r1' }).session // null
 */
export function initialContext(input: RecordingInput): RecordingContext {
  return {
    recording: input.recording,
    host: null,
    attempt: null,
    session: null,
    failover: NO_FAILOVER,
    monitoring: UNMONITORED,
    lastQuery: null,
    outrankedQuit: null,
    deadlines: NO_DEADLINES,
    restarts: 0,
    quitReason: null,
    files: NONE,
    previousSids: NONE,
    orphans: NONE,
    updatedAt: null,
  };
}

/**
 * A notification while a failover is pending, in `announced` and `suspected` alike: the same
 * transitions in the same order; only the guard that counts as life (`life`) differs.
 */
function whilePending(life: 'notifiesCurrentRecorder' | 'notifiesLife') {
  return [
    { guard: 'notifiesQuit', target: '#recording.quit', actions: ['noteNotification', 'quitOnEvidence'] },
    {
      guard: and(['notifiesFailover', 'haAttemptsUsedUp']),
      target: '#recording.quit',
      actions: 'quitHaExhausted',
    },
    { guard: 'notifiesFailover', target: 'announced', actions: 'beginFailover' },
    {
      guard: or(['notifiesUnseenRecorder', life]),
      target: '#recording.recording',
      actions: ['noteNotification', 'resumeAfterFailover'],
    },
    { guard: 'notificationPromptsQuery', actions: ['noteNotification', 'queryNow'] },
    { guard: 'notificationNoteworthy', actions: 'noteNotification' },
  ] as const;
}

/** Rule 13: an earlier session that shows life is a second recorder: stop it, in any live state. */
const STOP_ORPHANS = { orphanLife: { guard: 'orphanKnown', actions: 'stopOrphan' } } as const;

/**
 * One start attempt, the same in `starting` and `restarting` (rules 1, 7, 11, 12): `acquiring`
 * (the acquire is out, or its retry waits), `sent` (the start is out: `startSent` was logged),
 * `settling` (its answer was lost: the session may run unseen; its notifications adopt it).
 * `started` is what naming the session does in the parent; `blocked` are the parent's events
 * that cannot concern the attempt.
 */
function startAttempt(
  started: { readonly actions: readonly (keyof typeof to)[] },
  blocked: { readonly query?: Record<string, never>; readonly notification?: Record<string, never> },
) {
  const quitNotStarted = { target: '#recording.quit', actions: 'quitNotStarted' } as const;
  const rejected = {
    guard: 'startRejected',
    target: '#recording.failed',
    actions: 'failConfiguration',
  } as const;
  // A stop while the start is out waits for the session it makes (or for its settling).
  const awaitSession = {
    target: '#recording.stopping.awaitingSession',
    actions: 'awaitSession',
  } as const;
  const stopNow = { target: '#recording.stopped', actions: 'concludeStopped' } as const;
  return {
    initial: 'acquiring',
    on: { ...blocked, started: { target: '#recording.starting.confirming', ...started } },
    states: {
      acquiring: {
        initial: 'calling',
        on: {
          startSent: { guard: 'startSentForAttempt', target: 'sent', actions: 'sendStart' },
          startFailed: [
            rejected,
            { guard: 'startCanRetry', target: '.waiting', actions: 'scheduleStartRetry' },
            quitNotStarted,
          ],
          tick: [
            { guard: 'startDeadlinePassed', ...quitNotStarted },
            { guard: 'startDue', target: '.calling', actions: 'retryStart' },
          ],
        },
        states: {
          // Only the acquire is out, no start was sent: a stop ends it now, a resume acquires again.
          calling: { on: { stop: stopNow, resumed: { actions: 'retryStart' } } },
          // The last call failed and a retry is scheduled: nothing is out.
          waiting: { on: { stop: stopNow, resumed: {} } },
        },
      },
      sent: {
        on: {
          startFailed: [
            rejected,
            { guard: 'startMayRunUnseen', target: 'settling', actions: 'settleStart' },
            { guard: 'startCanRetry', target: 'acquiring.waiting', actions: 'scheduleStartRetry' },
            quitNotStarted,
          ],
          // The answer will not come (the process died, or the call outlived the deadline).
          resumed: { target: 'settling', actions: 'settleStart' },
          tick: { guard: 'startDeadlinePassed', target: 'settling', actions: 'settleStart' },
          stop: awaitSession,
        },
      },
      // Rule 11: no sign of the session within the window: the start is retried with the other
      // uid while retries are left (rule 7), else it is a failed start.
      settling: {
        on: {
          resumed: { actions: 'extendSettle' },
          tick: [
            {
              guard: and(['settleDeadlinePassed', 'startRetriesLeft']),
              target: 'acquiring.calling',
              actions: 'retryWithOtherUid',
            },
            { guard: 'settleDeadlinePassed', ...quitNotStarted },
          ],
          startFailed: {},
          stop: awaitSession,
        },
      },
    },
  } as const;
}

/**
 * The lifecycle of one supervised recording (docs/lifecycle.md), as an XState v5 machine
 * reading the given options (complete: see `resolveOptions`). The core steps it on the compiled
 * fast path (`stepRecording`); XState's own tools work too.
 * @example
 * const machine = createRecordingMachine(resolveOptions({ pollIntervalMs: 90_000 }));
 * const actor = createActor(machine, { input: { recording: 'r1' } }).start();
 * actor.send({ type: 'start', at: Date.now(), cname: 'room1', uid: '1001', mode: 'mix' });
 */
export function createRecordingMachine(options: RecordingOptions) {
  return defineMachine(options);
}

const defineMachine = (options: RecordingOptions) =>
  setup({
    types: {
      context: {} as RecordingContext,
      events: {} as RecordingEvent,
      input: {} as RecordingInput,
      emitted: {} as RecordingOutput,
    },
    guards: guardsWith(options),
    actions: mapValues(to, (reactor) => react(reactor, options)),
  }).createMachine({
    id: 'recording',
    context: ({ input }) => initialContext(input),
    initial: 'idle',
    states: {
      idle: {
        on: {
          start: { target: 'starting', actions: 'acceptStart' },
          stop: { target: 'stopped', actions: 'concludeStopped' },
        },
      },

      // Rule 1: acquire+start, then wait for evidence of life for the new sid, at most 90 s.
      starting: {
        initial: 'attempt',
        on: {
          ...STOP_ORPHANS,
          query: [
            { guard: 'queryShowsAlive', target: 'recording', actions: ['noteQuery', 'confirmStarted'] },
            { guard: 'queryShowsQuit', target: 'quit', actions: ['noteQuery', 'quitOnEvidence'] },
            // The deadline passed with no answer: the first answer (a 404, a 200 with 0..3) decides.
            {
              guard: and(['startAwaitsAnswer', 'queryAnswered']),
              target: 'quit',
              actions: ['noteQuery', 'quitNotStarted'],
            },
            {
              guard: and(['queryNotFound', 'startProbingExhausted']),
              target: 'quit',
              actions: ['noteQuery', 'quitNotStarted'],
            },
            {
              guard: 'queryNotFound',
              target: '.probing',
              actions: ['noteQuery', 'backOffStartingQuery'],
            },
            { guard: 'queryUncertain', target: '.uncertain', actions: ['noteQuery', 'backOffQuery'] },
            { guard: 'queryRejected', target: 'failed', actions: ['noteQuery', 'failConfiguration'] },
            { target: '.confirming', actions: ['noteQuery', 'pollWhileStarting'] },
          ],
          notification: [
            { guard: 'notifiesQuit', target: 'quit', actions: ['noteNotification', 'quitOnEvidence'] },
            // A new sid has had no failover yet: its first 12 cannot exhaust HA here.
            { guard: 'notifiesFailover', target: 'failoverPending', actions: 'beginFailover' },
            { guard: 'notifiesLife', target: 'recording', actions: ['noteNotification', 'confirmStarted'] },
            { guard: 'notificationPromptsQuery', actions: ['noteNotification', 'queryNow'] },
            { guard: 'notificationNoteworthy', actions: 'noteNotification' },
          ],
          tick: [
            {
              guard: and(['startDeadlinePassed', not('startUnanswered')]),
              target: 'quit',
              actions: 'quitNotStarted',
            },
            // Every query went unanswered: no proof it did not start; stay, and keep asking.
            { guard: 'startDeadlinePassed', actions: 'holdStartForAnswer' },
            { guard: 'queryDue', actions: 'queryNow' },
          ],
          stop: { target: 'stopping.requested', actions: 'requestStop' },
          resumed: { actions: 'requeryOnResume' },
        },
        states: {
          // No sid yet: nothing Agora says can concern this attempt until `started` names it.
          attempt: startAttempt({ actions: ['adoptSid'] }, { query: {}, notification: {} }),
          confirming: {},
          probing: {},
          uncertain: {},
        },
      },

      // Rules 2, 3, 5: alive until quit evidence; a 404 starts probing, a 50x makes it uncertain.
      recording: {
        initial: 'healthy',
        on: {
          ...STOP_ORPHANS,
          query: [
            { guard: 'queryShowsAlive', target: '.healthy', actions: ['noteQuery', 'pollRegularly'] },
            { guard: 'queryShowsQuit', target: 'quit', actions: ['noteQuery', 'quitOnEvidence'] },
            // Probing ran out after a fatal error or an ambiguous leave: maybe a failover whose 12 was lost.
            {
              guard: and(['queryNotFound', 'probingExhausted', 'failoverPlausible']),
              target: 'failoverPending.suspected',
              actions: ['noteQuery', 'suspectFailover'],
            },
            { guard: and(['queryNotFound', 'probingExhausted']), target: 'quit', actions: ['noteQuery', 'quitLost'] },
            { guard: 'queryNotFound', target: '.probing', actions: ['noteQuery', 'backOffQuery'] },
            { guard: 'queryUncertain', target: '.uncertain', actions: ['noteQuery', 'backOffQuery'] },
            { guard: 'queryRejected', target: 'failed', actions: ['noteQuery', 'failConfiguration'] },
            { target: '.healthy', actions: ['noteQuery', 'pollRegularly'] },
          ],
          notification: [
            { guard: 'notifiesQuit', target: 'quit', actions: ['noteNotification', 'quitOnEvidence'] },
            { guard: and(['notifiesFailover', 'haAttemptsUsedUp']), target: 'quit', actions: 'quitHaExhausted' },
            { guard: 'notifiesFailover', target: 'failoverPending', actions: 'beginFailover' },
            { guard: 'notifiesLife', target: '.healthy', actions: ['noteNotification', 'pollRegularly'] },
            { guard: 'notificationPromptsQuery', actions: ['noteNotification', 'queryNow'] },
            { guard: 'notificationNoteworthy', actions: 'noteNotification' },
          ],
          tick: { guard: 'queryDue', actions: 'queryOnSchedule' },
          stop: { target: 'stopping.requested', actions: 'requestStop' },
          resumed: { actions: 'requeryOnResume' },
        },
        states: {
          healthy: {},
          probing: {},
          uncertain: {},
        },
      },

      // Rule 4: the session moves to a new server; 404s are expected until the 90 s deadline.
      // Announced: event 12 named the new recorder. Suspected: no 12, but a hint and only 404s.
      failoverPending: {
        initial: 'announced',
        on: {
          ...STOP_ORPHANS,
          query: [
            { guard: 'queryShowsAlive', target: 'recording', actions: ['noteQuery', 'resumeAfterFailover'] },
            { guard: 'queryShowsQuit', target: 'quit', actions: ['noteQuery', 'quitOnEvidence'] },
            { guard: 'queryUncertain', actions: ['noteQuery', 'backOffQuery'] },
            { guard: 'queryRejected', target: 'failed', actions: ['noteQuery', 'failConfiguration'] },
            { actions: ['noteQuery', 'pollDuringFailover'] },
          ],
          tick: [
            { guard: 'failoverDeadlinePassed', target: 'quit', actions: 'quitFailoverTimeout' },
            { guard: 'queryDue', actions: 'queryNow' },
          ],
          stop: { target: 'stopping.requested', actions: 'requestStop' },
          resumed: { actions: 'requeryOnResume' },
        },
        states: {
          // Life from the recorder the 12 named, or from one the sid has not shown yet.
          announced: { on: { notification: whilePending('notifiesCurrentRecorder') } },
          // Any life will do: the new recorder's uid is unknown.
          suspected: { on: { notification: whilePending('notifiesLife') } },
        },
      },

      // Rule 7: restart unless the host excluded the reason or turned restarts off (a budget of
      // 0); beyond the budget the recording fails. Otherwise it rests in quit, for good.
      quit: {
        initial: 'deciding',
        on: {
          ...STOP_ORPHANS,
          stop: { target: 'stopped', actions: 'concludeStopped' },
          // The upload report (31) comes after the exit (11): its files are still news.
          notification: { guard: 'notificationReportsFiles', actions: 'noteFiles' },
        },
        states: {
          deciding: {
            always: [
              {
                guard: and([not('restartExcluded'), not('restartsOff'), not('restartBudgetSpent')]),
                target: '#recording.restarting',
              },
              {
                guard: and([not('restartExcluded'), not('restartsOff'), 'restartBudgetSpent']),
                target: '#recording.failed',
                actions: 'failRestartBudget',
              },
              { target: 'forGood' },
            ],
          },
          // The reason is excluded, or restarts are off: a quit with its own reason, not a failure.
          forGood: {},
        },
      },

      // Waiting out the restart delay, then one start attempt (rule 7), as `starting` makes one.
      restarting: {
        entry: 'beginRestart',
        initial: 'delay',
        on: {
          ...STOP_ORPHANS,
          notification: { guard: 'notificationReportsFiles', actions: 'noteFiles' },
        },
        states: {
          // Nothing is out yet: the recording stops here and now.
          delay: {
            always: { guard: 'noStartScheduled', target: 'attempt', actions: 'launchRestart' },
            on: {
              tick: { guard: 'startDue', target: 'attempt', actions: 'launchRestart' },
              stop: { target: '#recording.stopped', actions: 'concludeStopped' },
            },
          },
          attempt: startAttempt({ actions: ['adoptSid', 'announceRestarted'] }, {}),
        },
      },

      // Rule 10: the host's stop. Never restarted; supervised until quit evidence.
      stopping: {
        initial: 'requested',
        on: {
          ...STOP_ORPHANS,
          stopResult: [
            { guard: 'stopConfirmed', target: 'stopped', actions: 'concludeStopped' },
            // Refused as wrong: the host must fix it; the recording may go on, so it is watched.
            {
              guard: and(['stopAnsweredClientError', 'sessionKnown', not('stopConfirmed')]),
              target: '.refused',
              actions: 'reportStopRefused',
            },
            { actions: 'checkStopLater' },
          ],
          notification: [
            { guard: 'notifiesQuit', target: 'stopped', actions: ['noteFiles', 'concludeStopped'] },
            // Life while a failover may be under way: the stop it answered 404 must go again.
            {
              guard: and([or(['notifiesLife', 'notifiesUnseenRecorder']), 'failoverWindowOpen']),
              actions: ['noteFiles', 'requestStop'],
            },
            { guard: 'notificationReportsFiles', actions: 'noteFiles' },
          ],
          query: [
            // A 404 proves the end, except while a failover may be under way (404s are expected then).
            {
              guard: or(['queryShowsQuit', and(['queryNotFound', not('failoverWindowOpen')])]),
              target: 'stopped',
              actions: ['noteQuery', 'concludeStopped'],
            },
            { guard: 'queryRejected', target: 'failed', actions: ['noteQuery', 'failConfiguration'] },
            { guard: 'queryShowsAlive', actions: ['noteQuery', 'requestStop'] },
            { actions: ['noteQuery', 'checkStopLater'] },
          ],
          started: { actions: ['adoptSid', 'requestStop'] },
          startFailed: { target: 'stopped', actions: 'concludeStopped' },
          tick: [
            {
              guard: or(['startDeadlinePassed', 'settleDeadlinePassed']),
              target: 'stopped',
              actions: 'concludeStopped',
            },
            { guard: 'failoverDeadlinePassed', actions: ['closeFailoverWindow', 'queryNow'] },
            { guard: 'queryDue', actions: 'queryNow' },
          ],
        },
        states: {
          // Asked while a start was out (sent, or its answer lost): the stop waits for the session
          // it makes; with none by the start deadline or the settle window, there is nothing to stop.
          awaitingSession: {
            on: {
              started: { target: 'requested', actions: ['adoptSid', 'requestStop'] },
              resumed: { actions: 'extendSettle' },
            },
          },
          // The stop was sent (a resume sends it again: it may have been lost; a repeat is safe).
          requested: { on: { resumed: { actions: 'requestStop' } } },
          // The stop was refused: poll like a live recording; the host's next stop tries again.
          refused: {
            on: {
              stop: { target: 'requested', actions: 'requestStop' },
              query: { guard: 'queryShowsAlive', actions: ['noteQuery', 'pollRegularly'] },
            },
          },
        },
      },

      stopped: { type: 'final' },
      failed: { type: 'final' },
    },
  });

/**
 * The machine with the default options of docs/lifecycle.md, for XState's tools.
 * @example createActor(recordingMachine, { input: { recording: 'r1' } }).start();
 */
export const recordingMachine = createRecordingMachine(DEFAULT_RECORDING_OPTIONS);

export type RecordingMachine = typeof recordingMachine;

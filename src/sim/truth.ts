// What really happened, kept by the simulator so an observer can be scored against it.

/** A recording's true state, in the vocabulary of docs/lifecycle.md. */
export type TrueState = 'starting' | 'recording' | 'failoverPending' | 'quit' | 'stopped';

/**
 * Why a recording really ended, in the `quitReason` vocabulary of docs/lifecycle.md:
 * `stopped` (the client's stop), `idle` (maxIdleTime with no host), `abnormalExit`,
 * `haExhausted` (a 4th failure), `webRecorderStopped` (web recorder stop or capability limit),
 * `maxRecordingHour` (the web recorder reached the `maxRecordingHour` the host set: 71 `code 1`).
 */
export type QuitCause =
  | 'stopped'
  | 'idle'
  | 'abnormalExit'
  | 'haExhausted'
  | 'webRecorderStopped'
  | 'maxRecordingHour';

/**
 * A fault that touched a session, as `faults` of its truth lists it: a life fault of the
 * channel's schedule (`processKill` … `maxRecordingHour`, with the schedule's `id`), or one of
 * Agora's documented oddities: `startAnswerLost` (the start's answer never came, or came as 504,
 * but the recorder runs), `onhold` (a web recorder started paused; `until` when the host resumed
 * it), `stopDuringFailover` (a stop answered 404 while the session was moving: it lives on),
 * `stranded` (its upload waits on Agora's backup storage), `exitNoticesLost` (its exit
 * notifications were all lost).
 */
export interface TrueFault {
  readonly at: number;
  readonly kind:
    | 'processKill'
    | 'serverLoss'
    | 'abnormalExit'
    | 'webRecorderStop'
    | 'capabilityLimit'
    | 'maxRecordingHour'
    | 'startAnswerLost'
    | 'onhold'
    | 'stopDuringFailover'
    | 'stranded'
    | 'exitNoticesLost';
  /** The schedule's id of a life fault (`serverLoss#2`). */
  readonly id?: string;
  /** `onhold`: when the host resumed the recorder (absent while it stays paused). */
  until?: number;
}

/** One failover: the recorder went down at `at` and came back on a new server at `resumedAt`. */
export interface TrueFailover {
  /** 0 for the first failover: new files are named `bak<n>_…`. */
  readonly n: number;
  /** `processKill` (moved within 30 s) or `serverLoss` (moved within 60–90 s). */
  readonly kind: 'processKill' | 'serverLoss';
  readonly at: number;
  readonly resumedAt: number;
  /** The uid the recorder rejoined with (event 12's `newUid`). */
  readonly newUid: string;
}

/** One recording session (one sid) as it really went: a line of `truthJsonl()`. */
export interface TrueRecording {
  readonly type: 'recording';
  readonly sid: string;
  readonly resourceId: string;
  readonly cname: string;
  readonly mode: 'individual' | 'mix' | 'web' | 'raw';
  /** The uid the client started it with. */
  readonly uid: string;
  /** When the start was answered, clock ms. */
  readonly startedAt: number;
  /** Every recorder uid, in order: the client's, then each failover's new one. */
  readonly uids: string[];
  /** State changes, in time order; the first is `starting` at `startedAt`. */
  readonly states: { at: number; state: TrueState }[];
  readonly failovers: TrueFailover[];
  /** How it ended, or null while it runs. A 4th failure shows as `haExhausted` here. */
  quit: { at: number; cause: QuitCause } | null;
  /** Playlists (and MP4s) uploaded, with the time their first slice was uploaded. */
  readonly files: { fileName: string; uploadedAt: number }[];
  /** The faults that touched it, in time order (failovers are also in `failovers`). */
  readonly faults: TrueFault[];
}

/** A start the service refused (no sid was made): a line of `truthJsonl()`. */
export interface TrueStartRefusal {
  readonly type: 'startRefused';
  readonly at: number;
  readonly resourceId: string;
  readonly cname: string;
  readonly httpStatus: number;
  readonly code?: number;
  /** Why: `overload` (406 at a quota peak or beyond the concurrency limit), `conflict` (a task with this cname and uid runs: 53 or 7), `serverError`, `notCompleted`, or `invalid` (anything else). */
  readonly reason: 'overload' | 'conflict' | 'serverError' | 'notCompleted' | 'invalid';
  /** `conflict`: the sid of the task that runs. */
  readonly runningSid?: string;
}

/** One line of the ground truth. */
export type TruthRecord = TrueRecording | TrueStartRefusal;

/**
 * A recording's true state at time `at` (clock ms), or undefined before it started.
 * @example truthStateAt(sim.truth().find((r) => r.type === 'recording' && r.sid === sid), clock.now())
 */
export function truthStateAt(recording: TrueRecording, at: number): TrueState | undefined {
  let state: TrueState | undefined;
  for (const change of recording.states) {
    if (change.at > at) break;
    state = change.state;
  }
  return state;
}

/** The ground truth as JSON Lines, one record per line, in the order the records were made. */
export function truthToJsonl(records: readonly TruthRecord[]): string {
  return records.map((record) => `${JSON.stringify(record)}\n`).join('');
}

// What really happened, kept by the simulator so an observer can be scored against it.

/** A recording's true state, in the vocabulary of docs/lifecycle.md. */
export type TrueState = 'starting' | 'recording' | 'failoverPending' | 'quit' | 'stopped';

/**
 * Why a recording really ended, in the `quitReason` vocabulary of docs/lifecycle.md:
 * `stopped` (the client's stop), `idle` (maxIdleTime with no host), `abnormalExit`,
 * `haExhausted` (a 4th failure), `webRecorderStopped` (web recorder stop or capability limit).
 */
export type QuitCause = 'stopped' | 'idle' | 'abnormalExit' | 'haExhausted' | 'webRecorderStopped';

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
  readonly mode: 'individual' | 'mix' | 'web';
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
}

/** A start the service refused (no sid was made): a line of `truthJsonl()`. */
export interface TrueStartRefusal {
  readonly type: 'startRefused';
  readonly at: number;
  readonly resourceId: string;
  readonly cname: string;
  readonly httpStatus: number;
  readonly code?: number;
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

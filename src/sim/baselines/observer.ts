// What the fleet harness needs of anything that keeps recordings alive for a host: recwatch, or
// one of the baselines that stand for what apps do today (docs/truth-under-faults.md).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../clock/index.js';
import type { SimulatorCredentials } from '../simulator.js';

/**
 * What an observer believes of one logical recording, in the three classes the score compares:
 * `live` (a recorder is, or is about to be, recording), `ended` (no recorder: quit, restarting,
 * failed) and `stopped` (ended because the host asked).
 */
export type Belief = 'live' | 'ended' | 'stopped';

/** One recording the host wants: its id, channel, recorder uid and mode. */
export interface PlannedRecording {
  readonly recording: string;
  readonly cname: string;
  readonly uid: string;
  readonly mode: 'individual' | 'mix' | 'web' | 'raw';
}

/** What an observer is given to reach the simulator and report its restarts. */
export interface ObserverContext {
  readonly clock: Clock;
  /** The simulator's base URL (REST paths under `/v1/apps/<appId>/cloud_recording/`). */
  readonly baseUrl: string;
  /** The App ID, the Basic auth pair and header, and the notification signing secret. */
  readonly credentials: SimulatorCredentials;
  /** Called when the observer decides, on its own, to start a recording again. */
  readonly onRestart: (recording: string, at: number) => void;
}

/**
 * An observer's own I/O that the simulator never sees (recwatch: the commits of its log, made on
 * a thread of their own): the harness does not take an observer with such I/O under way to be
 * waiting on the clock.
 */
export interface ObserverIo {
  /** Grows by one as each piece of that I/O starts, and by one as it finishes. */
  readonly count: number;
  /** Pieces under way. */
  readonly inFlight: number;
  /** Resolves once none is under way (at once when none is). */
  idle(): Promise<void>;
}

/** recwatch or a baseline, driven by the fleet harness. */
export interface FleetObserver {
  /** A short name for reports: `recwatch`, `webhookOnly`, ... */
  readonly name: string;
  /** Serves the webhook, when the observer uses notifications; the harness puts it on loopback. */
  readonly webhook?: (request: IncomingMessage, response: ServerResponse) => void;
  /** The host wants this recording: start it and keep it going. */
  start(plan: PlannedRecording): Promise<void>;
  /** The host wants it stopped. */
  stop(recording: string): Promise<void>;
  /** What it believes of the recording now (`ended` before it is known). */
  belief(recording: string): Belief;
  /** Resolves once nothing it started is being sent or answered (waits on the clock do not count). */
  settle(): Promise<void>;
  /** Its own I/O the simulator does not see, when it has any. */
  readonly ownIo?: ObserverIo;
  /** Stops its timers and calls. */
  close(): Promise<void>;
}

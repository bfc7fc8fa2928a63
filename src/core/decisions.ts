import type {
  LifecycleState,
  RecordingEvent,
  RecordingOutput,
  RecordingSnapshot,
} from '../../machines/index.js';

/** What the core did with an input (rules 8, 9 and routing). */
export type DecisionKind =
  /** Reached its recording's machine, in order. */
  | 'applied'
  /** A second copy of a notification already seen (rule 8). */
  | 'duplicate'
  /** Waiting: for a missing predecessor (rule 9), or for `started` to name its sid. */
  | 'held'
  /** Reached the machine after its hold ran out, with earlier sequences missing. */
  | 'releasedAfterGap'
  /** Reached the machine after later sequences had (out of order, rule 9). */
  | 'late'
  /** Concerns a previous sid of its recording: kept, never applied (rule 8). */
  | 'stale'
  /** Its sid was never named by a start within the hold time: kept, never applied. */
  | 'unrouted'
  /**
   * Names its recording but nothing its machine is on: kept, never applied, with the reason
   * (`startSentOtherUid`: a `startSent` for another uid than the start attempt's, rule 12).
   */
  | 'ignored'
  /** Failed validation, or names nothing the core knows. */
  | 'rejected';

/** A decision about one input, identified by its position in the input stream (1-based). */
export interface Decision {
  readonly kind: 'decision';
  readonly position: number;
  /** When the decision was taken (observed time of the input being processed). */
  readonly at: number;
  readonly decision: DecisionKind;
  /** A short, readable label of the input. */
  readonly input: string;
  readonly recording?: string;
  readonly sid?: string;
  readonly reason?: string;
  readonly gap?: { readonly from: number; readonly to: number };
  /** The recording's top-level state after this decision. */
  readonly state?: LifecycleState;
}

/**
 * A machine event the core delivered to a recording's machine, just before that machine's own
 * outputs: what an inspector replays on the machine (its `late` flag, a synthesized `started`
 * of an adoption, a `resumed`, a tick's firing), exactly as the core gave it.
 */
export interface Delivery {
  readonly kind: 'delivered';
  readonly recording: string;
  readonly event: RecordingEvent;
  /** The recording's snapshot right after the event. */
  readonly snapshot: RecordingSnapshot;
}

/**
 * Everything a step of the core produces, in order: decisions, the machine events delivered, and
 * the machines' outputs.
 */
export type CoreOutput = Decision | Delivery | RecordingOutput;

// What the inspector server sends its page, as JSON. Self-contained (the page is compiled on its
// own, for the browser); the server's builders are type-checked against the core's types.

/** What the core did with an input (see `DecisionKind` in src/core). */
export type WireDecisionKind =
  | 'applied'
  | 'duplicate'
  | 'held'
  | 'releasedAfterGap'
  | 'late'
  | 'stale'
  | 'unrouted'
  | 'ignored'
  | 'rejected';

/** A decision of the core, as `Decision` in src/core. */
export interface WireDecision {
  readonly kind: 'decision';
  readonly position: number;
  readonly at: number;
  readonly decision: WireDecisionKind;
  readonly input: string;
  readonly recording?: string;
  readonly sid?: string;
  readonly reason?: string;
  readonly gap?: { readonly from: number; readonly to: number };
  readonly state?: string;
}

/** An effect or a domain event a machine produced (its `kind`, `type`, `recording` and fields). */
export interface WireOutput {
  readonly kind: 'effect' | 'event';
  readonly type: string;
  readonly recording: string;
}

/** A decision with the effects and domain events it produced, in order. */
export interface WireDecided {
  readonly decision: WireDecision;
  readonly outputs: readonly WireOutput[];
}

/** One recording as the page shows it: its picture and its full state value. */
export interface WireRecording {
  readonly state: string;
  /** XState's state value: `'idle'`, or `{ recording: 'probing' }`. */
  readonly value: string | { readonly [key: string]: unknown };
  readonly sid: string | null;
  readonly uid: string | null;
  readonly haAttempts: number;
  readonly filePrefix: string;
  readonly restarts: number;
  readonly quitReason: string | null;
}

/** A recording a step changed: how it looks after, and the machine events that reached it. */
export interface WireChange {
  readonly after: WireRecording;
  /** Event types, in order (`notification`, `query`, `tick`, ...). */
  readonly events: readonly string[];
  /** The state value after each of those events (the last is `after.value`). */
  readonly path: readonly WireRecording['value'][];
}

/** One input and everything the core did with it. */
export interface WireStep {
  /** Its position in the trace or log (1-based). */
  readonly position: number;
  /** When it was observed (ms). */
  readonly at: number;
  /** The input as received: `{ kind: 'input', record }` or `{ kind: 'reject', at, reason, raw }`. */
  readonly received: unknown;
  /** Decisions taken at this step (an earlier held input's release included), with outputs. */
  readonly decisions: readonly WireDecided[];
  /** The recordings this step changed, by id. */
  readonly changed: { readonly [recording: string]: WireChange };
}

/** What a page receives first: the feed's title, the recordings before the first step, steps. */
export interface WireHistory {
  readonly title: string;
  readonly live: boolean;
  readonly base: { readonly [recording: string]: WireRecording };
  readonly steps: readonly WireStep[];
}

/**
 * A page of `/api/history?after=P&limit=N`: the steps after position P. `base` comes with the
 * page that starts at the first kept step; `next` is the `after` of the next page, null at the end.
 */
export interface WireHistoryPage {
  readonly title: string;
  readonly live: boolean;
  readonly base?: { readonly [recording: string]: WireRecording };
  readonly steps: readonly WireStep[];
  readonly next: number | null;
}

/** A laid-out statechart (see `StatechartLayout` in layout.ts). */
export interface WireStatechart {
  readonly id: string;
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly {
    readonly id: string;
    readonly key: string;
    readonly parent: string | null;
    readonly type: string;
    readonly initial: string | null;
    readonly x: number;
    readonly y: number;
    readonly width: number;
    readonly height: number;
  }[];
  readonly edges: readonly {
    readonly id: string;
    readonly source: string;
    readonly target: string;
    readonly events: readonly string[];
    readonly guards: { readonly [event: string]: readonly string[] };
    readonly points: readonly { readonly x: number; readonly y: number }[];
    readonly label: { readonly x: number; readonly y: number; readonly text: string } | null;
  }[];
}

/** A change of a recording's lifecycle state, at observed time (ms). */
export interface WireStateChange {
  readonly at: number;
  readonly state: string;
}

/** One recording's lane in the fleet view. */
export interface WireLane {
  readonly recording: string;
  /** Its state after the last step (as the recordings table shows it at the end). */
  readonly state: string;
  /** Every change of its state, in order: what colours the lane. */
  readonly states: readonly WireStateChange[];
  /** Failovers, restarts, quits, host stops (and the end: stopped, failed), in order. */
  readonly marks: readonly {
    readonly at: number;
    readonly kind: string;
    readonly sid: string | null;
    readonly detail?: string;
  }[];
  /** From the host's start to its stop (or the end). */
  readonly wanted: { readonly from: number; readonly to: number };
  readonly recordedMs: number;
  /** The parts of `wanted` not recorded, and why (see `CoverageGap` in src/core). */
  readonly gaps: readonly {
    readonly from: number;
    readonly to: number;
    readonly cause: string;
    readonly detail: string;
  }[];
}

/** The fleet view: a lane per recording, over the time of the feed. */
export interface WireFleet {
  /** The first and last observed times (ms) of the steps. */
  readonly from: number;
  readonly to: number;
  /** Whether new steps may still come. */
  readonly live: boolean;
  /** When a live feed's run ended (the last step's time, ms); null while it runs or offline. */
  readonly endedAt: number | null;
  readonly lanes: readonly WireLane[];
}

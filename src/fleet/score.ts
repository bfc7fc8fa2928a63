// Scoring an observer against the simulator's ground truth: what it believed of each recording,
// over time, against what really happened (docs/truth-under-faults.md defines every figure).

import { DEFAULT_RECORDING_OPTIONS } from '../../machines/index.js';
import type { Belief } from '../sim/baselines/index.js';
import type { DeliveryRecord, TrueRecording, TruthRecord } from '../sim/index.js';
import type { FleetPlan } from './plan.js';

/** A change of belief about one recording, at clock ms. */
export interface BeliefChange {
  readonly at: number;
  readonly belief: Belief;
}

/** A restart the observer decided on its own. */
export interface RestartDecision {
  readonly recording: string;
  readonly at: number;
}

/** Everything the score is computed from. */
export interface ScoreInput {
  readonly plans: readonly FleetPlan[];
  /** Clock ms of the run's start: plans' times are after it. */
  readonly t0: number;
  /** Clock ms the run ended. */
  readonly end: number;
  readonly timelines: ReadonlyMap<string, readonly BeliefChange[]>;
  readonly restarts: readonly RestartDecision[];
  readonly truth: readonly TruthRecord[];
  readonly deliveries: readonly DeliveryRecord[];
  readonly requests: readonly { readonly httpStatus: number | null }[];
  /**
   * Rule 7's restart budget the truth is scored with: a recording's unasked quit after this many
   * (counted from the truth, over the recording's lifetime) is owed no restart. Default: recwatch's
   * shipped `restartBudget` (3).
   */
  readonly restartBudget?: number;
}

/** How quickly quits were seen, ms. */
export interface DetectionStats {
  /** Quits the observer saw (its belief left `live`). */
  readonly detected: number;
  /** Quits it had not seen by the end of the run (ignoring the last `GRACE_MS`). */
  readonly missed: number;
  readonly medianMs: number | null;
  readonly p95Ms: number | null;
  /** Every detection time, ms (for pooling runs). */
  readonly timesMs: readonly number[];
}

/** One recording's line in a summary. */
export interface RecordingScore {
  readonly recording: string;
  readonly trueFinal: Belief;
  /** The last sid's true state and quit cause, e.g. `quit (abnormalExit)`. */
  readonly trueDetail: string;
  readonly believedFinal: Belief;
  readonly correct: boolean;
  readonly sids: number;
  readonly failovers: number;
  readonly restarts: number;
  /** Time to detect each unasked quit, ms (null: not detected). */
  readonly detectMs: readonly (number | null)[];
  /** The kinds of fault that touched its sessions (the truth's `faults`), once each, sorted. */
  readonly faults: readonly string[];
  /** Its spurious restarts and missed restarts (the run's totals add these up). */
  readonly spurious: number;
  readonly missed: number;
}

/** The score of one run. */
export interface Score {
  readonly recordings: number;
  /** Recordings whose final belief matches the truth, 0..1. */
  readonly finalAccuracy: number;
  /** Share of recording-time spent believing a wrong state, 0..1. */
  readonly wrongTimeShare: number;
  readonly detectWithNotification: DetectionStats;
  readonly detectWithoutNotification: DetectionStats;
  /**
   * Restarts decided while the recording was truly live, or after it ended at the host's own
   * `maxRecordingHour` (a limit the host set on its bill).
   */
  readonly spuriousRestarts: number;
  /**
   * Unasked quits (not idle, not maxRecordingHour, not beyond rule 7's restart budget) not
   * followed by a new recording within `RESTART_WINDOW_MS`.
   */
  readonly missedRestarts: number;
  /** Recordings that had two live sids at some moment. */
  readonly doubleRecordings: number;
  /** Total time with two live sids for one recording, ms. */
  readonly doubleRecordingMs: number;
  readonly restCalls: number;
  readonly rateLimited: number;
  readonly perRecording: readonly RecordingScore[];
}

/**
 * A change in the last 3 minutes of a run may not be known yet by anyone (a lost notification is
 * found by the next 60 s poll and 30 s of 404 probing, a failover has 90 s): a final belief that
 * matches the truth anywhere in that window counts as right, and a quit in it that was not seen
 * yet counts as neither seen nor missed.
 */
export const GRACE_MS = 180_000;

/**
 * A quit a host wants restarted that is not followed by a new recording within this is missed;
 * one the host stops within this (before the observer saw it) is neither seen nor missed.
 */
export const RESTART_WINDOW_MS = 300_000;

const LIVE_STATES = new Set(['starting', 'recording', 'failoverPending']);
// Quits a host does not want restarted: an empty channel, and the host's own recording limit
// (rule 7's default exclusions).
const NOT_RESTARTED = new Set(['idle', 'maxRecordingHour']);
// Notifications that tell a recording ended (docs/lifecycle.md rule 2).
const QUIT_EVENTS = new Set([11, 31, 32, 71, 72]);

/** The true class of a recording at `at`: live if any sid records, stopped after a host stop. */
export function trueBelief(
  sids: readonly TrueRecording[],
  stopAt: number | null,
  at: number,
): Belief {
  let latest: TrueRecording | undefined;
  for (const sid of sids) {
    if (sid.startedAt > at) continue;
    const state = stateAt(sid, at);
    if (state !== undefined && LIVE_STATES.has(state)) return 'live';
    if (latest === undefined || sid.startedAt >= latest.startedAt) latest = sid;
  }
  if (stopAt !== null && stopAt <= at) return 'stopped';
  if (latest !== undefined && stateAt(latest, at) === 'stopped') return 'stopped';
  return 'ended';
}

/** Scores a run (see `Score`). */
export function score(input: ScoreInput): Score {
  const { plans, t0, end } = input;
  const budget = input.restartBudget ?? DEFAULT_RECORDING_OPTIONS.restartBudget;
  const sessions = input.truth.filter((r): r is TrueRecording => r.type === 'recording');
  const byCname = new Map<string, TrueRecording[]>();
  for (const session of sessions) {
    const list = byCname.get(session.cname) ?? [];
    list.push(session);
    byCname.set(session.cname, list);
  }
  const notified = notifiedSids(input.deliveries);
  const restartsOf = new Map<string, number[]>();
  for (const restart of input.restarts) {
    const list = restartsOf.get(restart.recording) ?? [];
    list.push(restart.at);
    restartsOf.set(restart.recording, list);
  }
  let correct = 0;
  let wrongMs = 0;
  let totalMs = 0;
  let spurious = 0;
  let missedRestarts = 0;
  let doubles = 0;
  let doubleMs = 0;
  const withNote: (number | null)[] = [];
  const withoutNote: (number | null)[] = [];
  const perRecording: RecordingScore[] = [];
  for (const plan of plans) {
    const startAt = t0 + plan.startAt;
    if (startAt > end) continue;
    const stopAt = plan.stopAt === null ? null : t0 + plan.stopAt;
    const sids = byCname.get(plan.cname) ?? [];
    const timeline = input.timelines.get(plan.recording) ?? [];
    const truthAt = (at: number) => trueBelief(sids, stopAt, at);
    const believedAt = (at: number) => beliefAt(timeline, at);
    const points = breakpoints(sids, timeline, stopAt, startAt, end);
    // Rule 7: quits after the budget is spent are owed no restart; a recording so given up
    // before the host's stop ended then (failed), which the host's stop does not undo.
    const beyondBudget = quitsBeyondBudget(sids, budget);
    const givenUp = stopAt !== null && givenUpBefore(sids, beyondBudget, stopAt);
    const rightAt = (at: number, belief: Belief) => {
      const truth = truthAt(at);
      return truth === belief || (givenUp && truth === 'stopped' && belief === 'ended');
    };
    // Time believing a wrong state.
    for (let i = 0; i < points.length; i += 1) {
      const from = points[i]!;
      const to = points[i + 1] ?? end;
      if (to <= from) continue;
      totalMs += to - from;
      if (!rightAt(from, believedAt(from))) wrongMs += to - from;
    }
    // Final state, with the grace window.
    const believedFinal = believedAt(end);
    const window = [end - GRACE_MS, ...points.filter((p) => p >= end - GRACE_MS), end];
    const ok = window.some((at) => rightAt(at, believedFinal));
    if (ok) correct += 1;
    // Quits: the recording went from live to ended without the host asking.
    const detectMs: (number | null)[] = [];
    let missedHere = 0;
    for (let i = 1; i < points.length; i += 1) {
      const at = points[i]!;
      if (truthAt(points[i - 1]!) !== 'live' || truthAt(at) !== 'ended') continue;
      const quitter = sids.find((s) => s.quit !== null && s.quit.at === at);
      const seenAt = firstNotLive(timeline, restartsOf.get(plan.recording) ?? [], at);
      // The host's own stop is not the observer seeing the quit.
      const detectedAt = seenAt !== null && stopAt !== null && seenAt >= stopAt ? null : seenAt;
      // Stopped by the host before the observer saw it: within the restart window nobody owed a
      // restart (a 4th failure is told by Agora only when the failover window ends), so the quit
      // counts neither as seen nor as missed; stopped later, it was missed.
      const stoppedFirst =
        detectedAt === null && stopAt !== null && stopAt <= at + RESTART_WINDOW_MS;
      if (stoppedFirst) continue;
      const late = detectedAt === null && at > end - GRACE_MS;
      if (!late) {
        const ms = detectedAt === null ? null : detectedAt - at;
        detectMs.push(ms);
        (quitter !== undefined && notified.has(quitter.sid) ? withNote : withoutNote).push(ms);
      }
      const restartable =
        quitter !== undefined &&
        quitter.quit !== null &&
        !NOT_RESTARTED.has(quitter.quit.cause) &&
        !beyondBudget.has(quitter.sid);
      if (restartable && at <= end - RESTART_WINDOW_MS) {
        const back = points.some(
          (p) => p > at && p <= at + RESTART_WINDOW_MS && truthAt(p) === 'live',
        );
        if (!back) missedHere += 1;
      }
    }
    missedRestarts += missedHere;
    const restarts = restartsOf.get(plan.recording) ?? [];
    // Sids started at the very moment of the decision are its own (the clock does not move).
    let spuriousHere = 0;
    for (const at of restarts) {
      const before = sids.filter((s) => s.startedAt < at);
      const latest = before
        .filter((s) => s.quit !== null && s.quit.at <= at)
        .sort((a, b) => a.quit!.at - b.quit!.at)
        .at(-1);
      if (trueBelief(before, stopAt, at) === 'live' || latest?.quit?.cause === 'maxRecordingHour')
        spuriousHere += 1;
    }
    spurious += spuriousHere;
    const overlap = overlapMs(sids, end);
    if (overlap > 0) {
      doubles += 1;
      doubleMs += overlap;
    }
    const last = [...sids].sort((a, b) => a.startedAt - b.startedAt).at(-1);
    perRecording.push({
      recording: plan.recording,
      trueFinal: truthAt(end),
      trueDetail:
        last === undefined
          ? 'never started'
          : last.quit === null
            ? (stateAt(last, end) ?? 'starting')
            : `${stateAt(last, end)} (${last.quit.cause})`,
      believedFinal,
      correct: ok,
      sids: sids.length,
      failovers: sids.reduce((n, s) => n + s.failovers.length, 0),
      restarts: restarts.length,
      detectMs,
      faults: [...new Set(sids.flatMap((s) => s.faults.map((f) => f.kind)))].sort(),
      spurious: spuriousHere,
      missed: missedHere,
    });
  }
  const counted = perRecording.length;
  return {
    recordings: counted,
    finalAccuracy: counted === 0 ? 1 : correct / counted,
    wrongTimeShare: totalMs === 0 ? 0 : wrongMs / totalMs,
    detectWithNotification: detectionStats(withNote),
    detectWithoutNotification: detectionStats(withoutNote),
    spuriousRestarts: spurious,
    missedRestarts,
    doubleRecordings: doubles,
    doubleRecordingMs: doubleMs,
    restCalls: input.requests.length,
    rateLimited: input.requests.filter((r) => r.httpStatus === 429).length,
    perRecording,
  };
}

/**
 * The sids whose quit came after rule 7's restart budget was spent (docs/lifecycle.md rule 7:
 * `restartBudget` restarts per recording, over its lifetime), from the truth alone: the
 * recording's unasked quits (not idle, not maxRecordingHour, not a client's stop) that left no
 * other session of it live, in time order; the first `budget` of them are owed a restart, the
 * rest are not. Starts Agora refused spend nothing here (they made no session), so an observer
 * that spent its budget on them is scored as missing the quit that follows.
 */
export function quitsBeyondBudget(sids: readonly TrueRecording[], budget: number): Set<string> {
  const quits = sids
    .filter(
      (s) =>
        s.quit !== null &&
        s.quit.cause !== 'stopped' &&
        !NOT_RESTARTED.has(s.quit.cause) &&
        !sids.some(
          (other) =>
            other !== s &&
            other.startedAt < s.quit!.at &&
            LIVE_STATES.has(stateAt(other, s.quit!.at) ?? ''),
        ),
    )
    .sort((a, b) => a.quit!.at - b.quit!.at);
  return new Set(quits.slice(Math.max(0, budget)).map((s) => s.sid));
}

// The recording had been given up for good by the budget when the host stopped it: nothing live
// at the stop, and the latest quit before it was one owed no restart.
function givenUpBefore(
  sids: readonly TrueRecording[],
  beyondBudget: ReadonlySet<string>,
  stopAt: number,
): boolean {
  if (trueBelief(sids, null, stopAt) !== 'ended') return false;
  const latest = sids
    .filter((s) => s.quit !== null && s.quit.at <= stopAt)
    .sort((a, b) => a.quit!.at - b.quit!.at)
    .at(-1);
  return latest !== undefined && beyondBudget.has(latest.sid);
}

/** Detection stats of a list of times (null: missed). */
export function detectionStats(times: readonly (number | null)[]): DetectionStats {
  const seen = times.filter((t): t is number => t !== null).sort((a, b) => a - b);
  return {
    detected: seen.length,
    missed: times.length - seen.length,
    medianMs: percentile(seen, 0.5),
    p95Ms: percentile(seen, 0.95),
    timesMs: seen,
  };
}

/** The p-th percentile (nearest rank) of sorted values, or null when there are none. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1]!;
}

function stateAt(sid: TrueRecording, at: number): string | undefined {
  let state: string | undefined;
  for (const change of sid.states) {
    if (change.at > at) break;
    state = change.state;
  }
  return state;
}

function beliefAt(timeline: readonly BeliefChange[], at: number): Belief {
  let belief: Belief = 'ended';
  for (const change of timeline) {
    if (change.at > at) break;
    belief = change.belief;
  }
  return belief;
}

// When the observer first showed it knew the recording ended after `from`: its belief left
// `live`, or it decided to restart (a quit and restart within one step leave no belief change).
function firstNotLive(
  timeline: readonly BeliefChange[],
  restarts: readonly number[],
  from: number,
): number | null {
  if (beliefAt(timeline, from) !== 'live') return from;
  let first: number | null = null;
  for (const change of timeline) {
    if (change.at > from && change.belief !== 'live') {
      first = change.at;
      break;
    }
  }
  for (const at of restarts) if (at >= from && (first === null || at < first)) first = at;
  return first;
}

// Every time either side may change, within [from, end].
function breakpoints(
  sids: readonly TrueRecording[],
  timeline: readonly BeliefChange[],
  stopAt: number | null,
  from: number,
  end: number,
): number[] {
  const points = new Set<number>([from]);
  const add = (at: number) => {
    if (at >= from && at <= end) points.add(at);
  };
  for (const sid of sids) {
    add(sid.startedAt);
    for (const change of sid.states) add(change.at);
  }
  for (const change of timeline) add(change.at);
  if (stopAt !== null) add(stopAt);
  return [...points].sort((a, b) => a - b);
}

// Sids whose end was told by a notification that reached (or would have reached) the webhook.
function notifiedSids(deliveries: readonly DeliveryRecord[]): Set<string> {
  const sids = new Set<string>();
  for (const delivery of deliveries) {
    const sent = delivery.fault !== 'lost' && delivery.fault !== 'unsubscribed';
    if (QUIT_EVENTS.has(delivery.eventType) && sent) sids.add(delivery.sid);
  }
  return sids;
}

// How long two or more sids of one recording were live at once, ms.
function overlapMs(sids: readonly TrueRecording[], end: number): number {
  const edges: [number, number][] = [];
  for (const sid of sids) {
    let liveFrom: number | null = null;
    for (const change of sid.states) {
      if (change.at > end) break;
      const live = LIVE_STATES.has(change.state);
      if (live && liveFrom === null) liveFrom = change.at;
      if (!live && liveFrom !== null) {
        edges.push([liveFrom, 1], [change.at, -1]);
        liveFrom = null;
      }
    }
    if (liveFrom !== null) edges.push([liveFrom, 1], [end, -1]);
  }
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let live = 0;
  let since = 0;
  let total = 0;
  for (const [at, delta] of edges) {
    if (live >= 2) total += at - since;
    live += delta;
    since = at;
  }
  return total;
}

// Coverage against the truth: the time recwatch's manifest says was recorded, next to the time a
// recorder really recorded (the simulator's `recording` state), within the time the host wanted.
import {
  differenceMs,
  type Interval,
  mergeIntervals,
  type RecordingManifest,
  totalMs,
} from '../core/index.js';
import type { TrueRecording, TruthRecord } from '../sim/index.js';
import type { FleetPlan } from './plan.js';

/** The fleet's coverage: wanted, recorded as recwatch says and as it was, and the error. */
export interface CoverageScore {
  readonly wantedMs: number;
  /** What recwatch's manifests say was recorded. */
  readonly recordedMs: number;
  /** What the simulator's recorders really recorded. */
  readonly trueRecordedMs: number;
  /** Time one says recorded and the other not, as a share of the wanted time (0..1). */
  readonly error: number;
}

/** When the sids of one recording were really recording, merged. */
export function trueRecorded(sids: readonly TrueRecording[], end: number): Interval[] {
  const spans: Interval[] = [];
  for (const sid of sids) {
    for (const [i, change] of sid.states.entries()) {
      if (change.state !== 'recording') continue;
      spans.push({ from: change.at, to: Math.min(sid.states[i + 1]?.at ?? end, end) });
    }
  }
  return mergeIntervals(spans);
}

/**
 * Scores recwatch's coverage against the truth over a run's plans (each within its wanted time).
 * @example coverageScore(run.plans, run.t0, run.end, run.truth, (id) => book.manifest(id, run.end))
 */
export function coverageScore(
  plans: readonly FleetPlan[],
  t0: number,
  end: number,
  truth: readonly TruthRecord[],
  manifest: (recording: string) => RecordingManifest | undefined,
): CoverageScore {
  let wantedMs = 0;
  let recordedMs = 0;
  let trueRecordedMs = 0;
  let wrongMs = 0;
  for (const plan of plans) {
    const from = t0 + plan.startAt;
    const to = Math.min(end, plan.stopAt === null ? end : t0 + plan.stopAt);
    if (to <= from) continue;
    const clip = (spans: readonly Interval[]) =>
      mergeIntervals(spans.map((s) => ({ from: Math.max(s.from, from), to: Math.min(s.to, to) })));
    const sids = truth.filter(
      (r): r is TrueRecording => r.type === 'recording' && r.cname === plan.cname,
    );
    const real = clip(trueRecorded(sids, end));
    const said = clip(manifest(plan.recording)?.coverage.recorded ?? []);
    wantedMs += to - from;
    recordedMs += totalMs(said);
    trueRecordedMs += totalMs(real);
    wrongMs += differenceMs(said, real);
  }
  return { wantedMs, recordedMs, trueRecordedMs, error: wantedMs === 0 ? 0 : wrongMs / wantedMs };
}

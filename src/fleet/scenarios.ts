// Truth under faults: every profile, several seeds, recwatch and the three baselines on the same
// simulated world, scored against the ground truth and pooled per profile and observer.

import type { RecordingManifest } from '../core/index.js';
import {
  AgoraAdviceBaseline,
  type FleetObserver,
  type ObserverContext,
  QueryOnlyBaseline,
  WebhookOnlyBaseline,
} from '../sim/baselines/index.js';
import type { ProfileName } from '../sim/index.js';
import { type CoverageScore, coverageScore } from './coverage.js';
import { recwatchObserver } from './recwatch-observer.js';
import { type FleetRun, runFleet } from './run.js';
import { type DetectionStats, detectionStats } from './score.js';

/** The observers compared, by name, in report order. */
export const OBSERVERS: Readonly<
  Record<string, (context: ObserverContext) => Promise<FleetObserver> | FleetObserver>
> = {
  recwatch: (context) => recwatchObserver(context),
  webhookOnly: (context) => new WebhookOnlyBaseline(context),
  queryOnly: (context) => new QueryOnlyBaseline(context),
  agoraAdvice: (context) => new AgoraAdviceBaseline(context),
};

/** Options of `runScenarios`. */
export interface ScenarioOptions {
  readonly profiles: readonly ProfileName[];
  readonly seeds: readonly number[];
  readonly recordings: number;
  /** Simulated length of each run, ms. */
  readonly durationMs: number;
  /** Observer names (default all of `OBSERVERS`). */
  readonly observers?: readonly string[];
  /** Called after each run. */
  readonly onRun?: (run: FleetRun) => void;
}

/** One observer's pooled figures on one profile. */
export interface ScenarioRow {
  readonly profile: ProfileName;
  readonly observer: string;
  readonly runs: number;
  readonly recordings: number;
  readonly finalAccuracy: number;
  readonly wrongTimeShare: number;
  readonly detectWithNotification: Omit<DetectionStats, 'timesMs'>;
  readonly detectWithoutNotification: Omit<DetectionStats, 'timesMs'>;
  readonly spuriousRestarts: number;
  readonly missedRestarts: number;
  readonly doubleRecordings: number;
  readonly restCalls: number;
  readonly rateLimited: number;
  /**
   * Time recwatch's manifests (what it says was recorded) and the simulator's truth disagree
   * on, as a share of the wanted time; null for an observer that keeps no manifest.
   */
  readonly coverageError: number | null;
}

/** What `runScenarios` gives: the settings and one row per profile and observer. */
export interface ScenarioReport {
  readonly seeds: readonly number[];
  readonly recordings: number;
  readonly durationMs: number;
  readonly rows: readonly ScenarioRow[];
  /** Real ms the whole set took. */
  readonly wallMs: number;
}

/**
 * Runs every observer on every profile and seed, one run at a time, and pools the scores.
 * @example const report = await runScenarios({ profiles: ['chaos'], seeds: [1], recordings: 5, durationMs: 1_200_000 });
 */
export async function runScenarios(options: ScenarioOptions): Promise<ScenarioReport> {
  const wallStart = performance.now();
  const names = options.observers ?? Object.keys(OBSERVERS);
  const rows: ScenarioRow[] = [];
  for (const profile of options.profiles) {
    for (const name of names) {
      const make = OBSERVERS[name];
      if (make === undefined) throw new RangeError(`unknown observer '${name}'`);
      const runs: FleetRun[] = [];
      const coverages: CoverageScore[] = [];
      for (const seed of options.seeds) {
        // recwatch's manifests, read as the run ends, for its coverage against the truth.
        const manifests = new Map<string, RecordingManifest | undefined>();
        const run = await runFleet({
          profile,
          seed,
          recordings: options.recordings,
          durationMs: options.durationMs,
          observer: name === 'recwatch' ? (context) => withManifests(context, manifests) : make,
        });
        options.onRun?.(run);
        runs.push(run);
        if (name === 'recwatch')
          coverages.push(
            coverageScore(run.plans, run.t0, run.end, run.truth, (id) => manifests.get(id)),
          );
      }
      rows.push(pool(profile, name, runs, coverages));
    }
  }
  return {
    seeds: options.seeds,
    recordings: options.recordings,
    durationMs: options.durationMs,
    rows,
    wallMs: performance.now() - wallStart,
  };
}

/** recwatch as a fleet observer that reads every recording's manifest before it closes. */
async function withManifests(
  context: ObserverContext,
  manifests: Map<string, RecordingManifest | undefined>,
): Promise<FleetObserver> {
  const observer = await recwatchObserver(context);
  return {
    ...observer,
    close: async () => {
      for (const { recording } of observer.supervisor.list())
        manifests.set(recording, await observer.supervisor.manifest(recording));
      await observer.close();
    },
  };
}

function pool(
  profile: ProfileName,
  observer: string,
  runs: readonly FleetRun[],
  coverages: readonly CoverageScore[],
): ScenarioRow {
  const scores = runs.map((run) => run.score);
  const sum = (pick: (s: (typeof scores)[number]) => number) =>
    scores.reduce((total, s) => total + pick(s), 0);
  const recordings = sum((s) => s.recordings);
  const pooled = (pick: (s: (typeof scores)[number]) => DetectionStats) => {
    const times: (number | null)[] = [];
    for (const s of scores) {
      const stats = pick(s);
      times.push(...stats.timesMs, ...Array.from({ length: stats.missed }, () => null));
    }
    const { timesMs: _times, ...stats } = detectionStats(times);
    return stats;
  };
  return {
    profile,
    observer,
    runs: runs.length,
    recordings,
    finalAccuracy: recordings === 0 ? 1 : sum((s) => s.finalAccuracy * s.recordings) / recordings,
    wrongTimeShare: scores.length === 0 ? 0 : sum((s) => s.wrongTimeShare) / scores.length,
    detectWithNotification: pooled((s) => s.detectWithNotification),
    detectWithoutNotification: pooled((s) => s.detectWithoutNotification),
    spuriousRestarts: sum((s) => s.spuriousRestarts),
    missedRestarts: sum((s) => s.missedRestarts),
    doubleRecordings: sum((s) => s.doubleRecordings),
    restCalls: sum((s) => s.restCalls),
    rateLimited: sum((s) => s.rateLimited),
    coverageError: coverageError(coverages),
  };
}

/** The time recwatch's manifests and the truth disagree on, as a share of all wanted time. */
function coverageError(coverages: readonly CoverageScore[]): number | null {
  const wanted = coverages.reduce((total, c) => total + c.wantedMs, 0);
  if (coverages.length === 0 || wanted === 0) return null;
  return coverages.reduce((total, c) => total + c.error * c.wantedMs, 0) / wanted;
}

// The host's side of a fleet run: which recordings it wants, when it starts them and when (for
// some) it stops them. Drawn from the seed, so a run repeats.
import type { PlannedRecording } from '../sim/baselines/index.js';
import { Prng } from '../sim/prng.js';

/** A recording the host wants, with when it asks for it and (maybe) when it stops it. */
export interface FleetPlan extends PlannedRecording {
  /** ms after the run's start. */
  readonly startAt: number;
  /** ms after the run's start, or null: recorded to the end. */
  readonly stopAt: number | null;
}

/** Options of `planFleet`. */
export interface PlanOptions {
  readonly recordings: number;
  /** The run's length, ms. */
  readonly durationMs: number;
  readonly seed: number;
}

// Starts are spread over the first 2 minutes (or 5 % of a shorter run); about 3 in 10 are stopped
// by the host between 40 % and 90 % of the run; of every 10, two are web recordings, two
// individual, one raw (Individual Recording v2) and five mix.
const START_SPREAD_MS = 120_000;
const STOPPED_SHARE = 0.3;

/**
 * The host's plan: `recording-<n>` in channel `room-<n>`, uid 1000 + 2n (the backup uid is the
 * next one), starts spread at the beginning, some host stops later on.
 * @example planFleet({ recordings: 50, durationMs: 3_600_000, seed: 7 })
 */
export function planFleet(options: PlanOptions): FleetPlan[] {
  const prng = new Prng(options.seed ^ 0x5eed);
  const random = () => prng.next();
  const spread = Math.min(START_SPREAD_MS, options.durationMs * 0.05);
  const plans: FleetPlan[] = [];
  for (let n = 0; n < options.recordings; n += 1) {
    const startAt = Math.round(random() * spread);
    const stopped = random() < STOPPED_SHARE;
    const stopAt = Math.round(options.durationMs * (0.4 + 0.5 * random()));
    plans.push({
      recording: `recording-${String(n + 1).padStart(2, '0')}`,
      cname: `room-${n + 1}`,
      uid: String(1000 + 2 * n),
      mode: n % 5 === 4 ? 'web' : n % 5 === 2 ? 'individual' : n % 10 === 8 ? 'raw' : 'mix',
      startAt,
      stopAt: stopped ? stopAt : null,
    });
  }
  return plans;
}

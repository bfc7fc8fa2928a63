// When a channel's recorders fail: one timeline per channel, drawn from the seed and the
// channel's name alone, so every client that records the channel meets the same faults at the
// same moments whatever calls it makes (common random numbers across observers).
import { drawFailoverWindow, type LifeFaultKind } from './faults.js';
import { Prng } from './prng.js';
import type { LifeFaults } from './profiles.js';
import type { Mode } from './recording-life.js';

/** One fault of a channel's timeline, with everything its effect needs, drawn in advance. */
export interface ScheduledFault {
  /** `<kind>#<i>`: the i-th fault of its kind on the channel (from 0). */
  readonly id: string;
  readonly kind: LifeFaultKind;
  /** When it strikes, clock ms. */
  readonly at: number;
  /** Failover kinds: how long the move takes, ms (a 4th failure: when its 11 comes). */
  readonly windowMs: number;
  /** Failover kinds: the uid the recorder rejoins with. */
  readonly newUid: string;
  /** `webRecorderStop`: the 71 code (4, 5 or 6). */
  readonly webCode: 4 | 5 | 6;
  /** `capabilityLimit`: event 72's `limitType`. */
  readonly limitType: 'cpu' | 'memory';
  /** Whether the exit notifications of the quit it causes (41, 71, 72, 11, 31, 32) are lost. */
  readonly exitNoticesLost: boolean;
}

const HOUR = 3_600_000;
const KINDS: readonly [LifeFaultKind, keyof LifeFaults, boolean][] = [
  ['processKill', 'processKillPerHour', false],
  ['serverLoss', 'serverLossPerHour', false],
  ['abnormalExit', 'abnormalExitPerHour', false],
  ['webRecorderStop', 'webRecorderStopPerHour', true],
  ['capabilityLimit', 'capabilityLimitPerHour', true],
  ['maxRecordingHour', 'maxRecordingHourPerHour', true],
];

interface KindStream {
  readonly kind: LifeFaultKind;
  readonly perHour: number;
  readonly webOnly: boolean;
  readonly prng: Prng;
  readonly drawn: ScheduledFault[];
  horizon: number;
}

/**
 * A channel's faults: each kind a Poisson process in clock time from `origin` at the profile's
 * rate, drawn lazily from its own stream. A fault strikes the channel's recorder if one is
 * recording then; otherwise it passes unseen (the rate is per hour of recording, and waits are
 * memoryless, so the rate holds).
 */
export class FaultSchedule {
  private readonly streams: KindStream[];

  constructor(
    seed: number,
    readonly cname: string,
    origin: number,
    faults: LifeFaults,
    private readonly exitNoticesLost: number,
  ) {
    this.streams = KINDS.map(([kind, key, webOnly]) => ({
      kind,
      perHour: faults[key] as number,
      webOnly,
      prng: Prng.derive(seed, 'life', cname, kind),
      drawn: [],
      horizon: origin,
    }));
  }

  /** The first fault strictly after `at` that applies to `mode` (web faults: web mode only). */
  nextAfter(at: number, mode: Mode): ScheduledFault | undefined {
    let best: ScheduledFault | undefined;
    for (const stream of this.streams) {
      if (stream.perHour <= 0 || (stream.webOnly && mode !== 'web')) continue;
      this.drawPast(stream, at);
      const next = stream.drawn.find((fault) => fault.at > at);
      if (next !== undefined && (best === undefined || next.at < best.at)) best = next;
    }
    return best;
  }

  /** Every fault of the channel up to `until` (clock ms), in time order, whatever the mode. */
  until(until: number): ScheduledFault[] {
    const all: ScheduledFault[] = [];
    for (const stream of this.streams) {
      if (stream.perHour <= 0) continue;
      this.drawPast(stream, until);
      all.push(...stream.drawn.filter((fault) => fault.at <= until));
    }
    return all.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
  }

  // Draws until the stream's last fault is after `at`. Seven draws per fault, always.
  private drawPast(stream: KindStream, at: number): void {
    const { prng } = stream;
    while (stream.horizon <= at) {
      const wait = Math.max(1, Math.round(prng.exponential(HOUR) / stream.perHour));
      const strikeAt = stream.horizon + wait;
      const windowMs = drawFailoverWindow(
        prng,
        stream.kind === 'serverLoss' ? 'serverLoss' : 'processKill',
      );
      const newUid = String(prng.int(100_000, 2_000_000_000));
      const webCode = prng.pick([4, 5, 6] as const);
      const limitType = prng.pick(['cpu', 'memory'] as const);
      const exitNoticesLost = prng.chance(this.exitNoticesLost);
      stream.drawn.push({
        id: `${stream.kind}#${stream.drawn.length}`,
        kind: stream.kind,
        at: strikeAt,
        windowMs,
        newUid,
        webCode,
        limitType,
        exitNoticesLost,
      });
      stream.horizon = strikeAt;
    }
  }
}

/**
 * The App ID's overload peaks: stretches when its concurrent-task quota is used up and acquire
 * and start answer 400 `code 406` (`vendor_over_load`, agora-cloud-recording.md §5). A Poisson
 * process of peaks in clock time from `origin`, drawn from the seed alone.
 */
export class OverloadPeaks {
  private readonly prng: Prng;
  private readonly peaks: { from: number; to: number }[] = [];
  private horizon: number;

  constructor(
    seed: number,
    origin: number,
    private readonly perHour: number,
    private readonly lengthMs: readonly [number, number],
  ) {
    this.prng = Prng.derive(seed, 'overloadPeaks');
    this.horizon = origin;
  }

  /** True while a peak lasts at `at`. */
  at(at: number): boolean {
    if (this.perHour <= 0) return false;
    while (this.horizon <= at) {
      const from = this.horizon + Math.round(this.prng.exponential(HOUR) / this.perHour);
      const to = from + this.prng.int(this.lengthMs[0], this.lengthMs[1]);
      this.peaks.push({ from, to });
      this.horizon = to;
    }
    return this.peaks.some((peak) => peak.from <= at && at < peak.to);
  }
}

// Who is in a channel, and when: recordings need a host to record, and idle out without one.

import type { Prng } from './prng.js';
import type { HostFaults } from './profiles.js';

/** A host in a channel from `fromMs` to `toMs` (ms after the channel was first seen; `toMs` absent = forever). */
export interface HostSpan {
  readonly uid: number;
  readonly fromMs: number;
  readonly toMs?: number;
}

interface Span {
  readonly uid: number;
  readonly from: number;
  readonly to: number;
}

/**
 * One channel's host timeline, in clock ms. Drawn from the seed (stretches with a host, short
 * gaps, sometimes a long idle gap) unless a schedule is given; drawn lazily, so asking about a
 * time never changes what was drawn for an earlier one.
 */
export class Channel {
  private readonly spans: Span[] = [];
  private horizon: number;

  constructor(
    readonly cname: string,
    createdAt: number,
    private readonly prng: Prng,
    private readonly hosts: HostFaults,
    schedule?: readonly HostSpan[],
  ) {
    if (schedule === undefined) {
      this.horizon = createdAt;
    } else {
      for (const span of schedule) {
        this.spans.push({
          uid: span.uid,
          from: createdAt + span.fromMs,
          to: span.toMs === undefined ? Number.POSITIVE_INFINITY : createdAt + span.toMs,
        });
      }
      this.horizon = Number.POSITIVE_INFINITY;
    }
  }

  /** The uids of the hosts in the channel at `at`, in join order. */
  hostsAt(at: number): number[] {
    this.drawUntil(at);
    return this.spans.filter((span) => span.from <= at && at < span.to).map((span) => span.uid);
  }

  /** The first time after `at` when someone joins or leaves, or undefined when nothing changes again. */
  nextChangeAfter(at: number): number | undefined {
    this.drawUntil(at);
    let next = Number.POSITIVE_INFINITY;
    for (const span of this.spans) {
      if (span.from > at) next = Math.min(next, span.from);
      if (span.to > at) next = Math.min(next, span.to);
    }
    if (this.horizon > at) next = Math.min(next, this.horizon);
    return Number.isFinite(next) ? next : undefined;
  }

  private drawUntil(at: number): void {
    while (this.horizon <= at) {
      const from = this.horizon;
      const to =
        from + Math.max(1_000, Math.round(this.prng.exponential(this.hosts.occupiedMeanMs)));
      const uid = this.prng.int(1_000, 99_999);
      const gap = this.prng.chance(this.hosts.idleExit)
        ? this.hosts.longGapMs
        : this.prng.int(1_000, 4_000);
      this.spans.push({ uid, from, to });
      this.horizon = to + gap;
    }
  }
}

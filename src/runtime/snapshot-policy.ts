import type { CoreOutput } from '../core/index.js';
import { InvalidArgumentError } from '../errors/index.js';

/**
 * When to snapshot: once any recording has had `everyInputs` inputs decided since the last
 * snapshot (default 1,000 per recording), so replay after a restart stays short.
 *
 * `reset` does not empty its count per recording: a count at or below the mark `reset` sets
 * reads as 0, so the map keeps its size (a host's fleet, 100,000 keys) instead of growing back
 * from empty after every snapshot (each rehash of a 65,536-key `Map` held the loop 2–8 ms). Keys
 * of recordings no longer heard from are dropped at a `reset` once they are most of the map.
 * @example
 * const policy = new SnapshotPolicy(1000);
 * if (policy.observe(outputs)) await saveCoreSnapshot(log, state), policy.reset();
 */
export class SnapshotPolicy {
  /** Per recording: `mark` + its inputs since the last reset (or less: then 0 since it). */
  private readonly counts = new Map<string, number>();
  /** Stored counts at or below it were counted before the last reset. */
  private mark = 0;
  /** The highest stored count. */
  private highest = 0;
  /** Recordings counted since the last reset. */
  private heard = 0;

  constructor(readonly everyInputs = 1000) {
    if (!Number.isInteger(everyInputs) || everyInputs < 1) {
      throw new InvalidArgumentError(`everyInputs must be a positive integer, not ${everyInputs}`);
    }
  }

  /** Counts the inputs these outputs decided, per recording; true when a snapshot is due. */
  observe(outputs: readonly CoreOutput[]): boolean {
    let due = false;
    for (const output of outputs) {
      if (output.kind !== 'decision' || output.recording === undefined) continue;
      const stored = this.counts.get(output.recording);
      let count: number;
      if (stored === undefined || stored <= this.mark) {
        count = this.mark + 1;
        this.heard += 1;
      } else count = stored + 1;
      this.counts.set(output.recording, count);
      if (count > this.highest) this.highest = count;
      if (count - this.mark >= this.everyInputs) due = true;
    }
    return due;
  }

  /** Starts counting afresh: every recording's count since now is 0. */
  reset(): void {
    // Recordings not heard from since the last reset are most of the map: drop them.
    if (this.counts.size > 2 * this.heard + 1024) {
      this.counts.clear();
      this.highest = 0;
    }
    this.mark = this.highest;
    this.heard = 0;
  }
}

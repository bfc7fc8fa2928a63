import type { CoreOutput } from '../core/index.js';
import { InvalidArgumentError } from '../errors/index.js';

/**
 * When to snapshot: once any recording has had `everyInputs` inputs decided since the last
 * snapshot (default 1,000 per recording), so replay after a restart stays short.
 * @example
 * const policy = new SnapshotPolicy(1000);
 * if (policy.observe(outputs)) await saveCoreSnapshot(log, state), policy.reset();
 */
export class SnapshotPolicy {
  private readonly counts = new Map<string, number>();

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
      const count = (this.counts.get(output.recording) ?? 0) + 1;
      this.counts.set(output.recording, count);
      if (count >= this.everyInputs) due = true;
    }
    return due;
  }

  reset(): void {
    this.counts.clear();
  }
}

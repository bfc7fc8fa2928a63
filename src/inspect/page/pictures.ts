// Every recording's view at any position: the changes of each step folded from the base, with a
// checkpoint every few hundred steps so the scrubber answers at once on long traces.
import type { WireRecording, WireStep } from './wire.js';

type View = Readonly<Record<string, WireRecording>>;

const EVERY = 256;

/** The recordings after each step, and the step that last changed each one. */
export class Pictures {
  private readonly checkpoints: View[] = [];
  private readonly steps: WireStep[] = [];

  constructor(private readonly base: View) {}

  /** Adds the next step. */
  push(step: WireStep): void {
    this.steps.push(step);
    if (this.steps.length % EVERY === 0) this.checkpoints.push(this.at(this.steps.length - 1));
  }

  /** The recordings after step `index` (-1: before the first). */
  at(index: number): View {
    // A checkpoint is made from the one before it: while it is being made it is not there yet.
    const checkpoint = Math.min(Math.floor((index + 1) / EVERY), this.checkpoints.length);
    const from = checkpoint === 0 ? this.base : (this.checkpoints[checkpoint - 1] ?? this.base);
    const view: Record<string, WireRecording> = { ...from };
    for (let i = checkpoint * EVERY; i <= index; i += 1) {
      const step = this.steps[i];
      if (step === undefined) break;
      for (const [id, change] of Object.entries(step.changed)) view[id] = change.after;
    }
    return view;
  }

  /** The index of the last step at or before `index` that changed `recording`, or -1. */
  lastChange(recording: string, index: number): number {
    for (let i = Math.min(index, this.steps.length - 1); i >= 0; i -= 1) {
      if (this.steps[i]?.changed[recording] !== undefined) return i;
    }
    return -1;
  }
}

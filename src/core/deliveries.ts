// Which machine events a core step delivered to which recording, read from its outputs: the
// core says what it delivered (`delivered` outputs, each with the snapshot after), so nobody
// re-derives events from decisions.
import {
  createRecording,
  type RecordingEvent,
  type RecordingSnapshot,
} from '../../machines/index.js';
import type { CoreOutput } from './decisions.js';
import type { CoreState } from './state.js';

/** One machine event delivered to a recording, and its snapshot after it. */
export interface MachineStep {
  readonly event: RecordingEvent;
  readonly snapshot: RecordingSnapshot;
}

/** What one core step did to one recording's machine. */
export interface RecordingSteps {
  /** Its snapshot before (a new recording's: fresh, in `idle`). */
  readonly before: RecordingSnapshot;
  /** Each event it received, with its snapshot after, in order. */
  readonly steps: readonly MachineStep[];
}

/**
 * The machine steps of one core step, by recording, in the order they happened, read from the
 * step's `delivered` outputs (a quiet fold makes none). `before` is the state the step started from.
 * @example machineStepsOf(state, stepLine(state, line).outputs).get('r1')?.steps[0]?.event.type // 'start'
 */
export function machineStepsOf(
  before: CoreState,
  outputs: readonly CoreOutput[],
): Map<string, RecordingSteps> {
  const steps = new Map<string, { before: RecordingSnapshot; steps: MachineStep[] }>();
  for (const output of outputs) {
    if (output.kind !== 'delivered') continue;
    let taken = steps.get(output.recording);
    if (taken === undefined) {
      const start =
        before.recordings.get(output.recording)?.snapshot ??
        createRecording({ recording: output.recording });
      taken = { before: start, steps: [] };
      steps.set(output.recording, taken);
    }
    taken.steps.push({ event: output.event, snapshot: output.snapshot });
  }
  return steps;
}

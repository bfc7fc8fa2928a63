// A core step as the inspector shows it: the input as received, the decisions with the outputs
// each produced, and how every recording it changed looks after.
import type { RecordingSnapshot } from '../../machines/index.js';
import {
  type CoreOutput,
  type CoreState,
  machineStepsOf,
  type ReceivedLine,
  type RecordingSteps,
  snapshotPicture,
} from '../core/index.js';
import type {
  WireChange,
  WireDecided,
  WireDecision,
  WireOutput,
  WireRecording,
  WireStep,
} from './page/wire.js';

/** One input and everything the core did with it (the JSON the page receives). */
export type InspectorStep = WireStep;

/** A recording as the inspector shows it: its picture and its full XState state value. */
export type RecordingView = WireRecording;

/**
 * The view of one recording's snapshot.
 * @example viewOf(snapshot) // { state: 'recording', value: { recording: 'healthy' }, sid: 'S1', ... }
 */
export function viewOf(snapshot: RecordingSnapshot): RecordingView {
  const picture = snapshotPicture(snapshot);
  return { ...picture, value: snapshot.value as RecordingView['value'] };
}

/** An inspector step and the machine steps behind it (for the Stately bridge). */
export interface RecordedStep {
  readonly step: InspectorStep;
  readonly machines: ReadonlyMap<string, RecordingSteps>;
}

/**
 * Turns core steps into inspector steps, in order. It keeps the core state of the last step it
 * saw (the state the next one starts from).
 * @example
 * const recorder = new StepRecorder(createCore());
 * const { step } = recorder.record(line, result.outputs, result.state);
 */
export class StepRecorder {
  constructor(private current: CoreState) {}

  /** The core state after the last recorded step. */
  get state(): CoreState {
    return this.current;
  }

  /** Records a step the core took: the line it consumed, its outputs and the state after. */
  record(line: ReceivedLine, outputs: readonly CoreOutput[], after: CoreState): RecordedStep {
    const before = this.current;
    const machines = machineStepsOf(before, outputs);
    this.current = after;
    const changed: Record<string, WireChange> = {};
    for (const [id, { steps }] of [...machines].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const last = steps.at(-1);
      const snapshot = last?.snapshot ?? after.recordings.get(id)?.snapshot;
      if (snapshot === undefined) continue;
      changed[id] = {
        after: viewOf(snapshot),
        events: steps.map((s) => s.event.type),
        path: steps.map((s) => s.snapshot.value as RecordingView['value']),
      };
    }
    const step: InspectorStep = {
      position: after.position,
      at: line.kind === 'input' ? (atOf(line.record) ?? after.now) : line.at,
      received: line,
      decisions: groupByDecision(outputs),
      changed,
    };
    return { step, machines };
  }
}

/** Outputs after a decision belong to it: the machine step that decision caused made them. */
function groupByDecision(outputs: readonly CoreOutput[]): WireDecided[] {
  const groups: { decision: WireDecision; outputs: WireOutput[] }[] = [];
  for (const output of outputs) {
    if (output.kind === 'decision') groups.push({ decision: output, outputs: [] });
    else if (output.kind !== 'delivered') groups.at(-1)?.outputs.push(output);
  }
  return groups;
}

function atOf(record: unknown): number | undefined {
  if (record === null || typeof record !== 'object' || !('at' in record)) return undefined;
  return typeof record.at === 'number' ? record.at : undefined;
}

import type { SnapshotFrom, StateValue } from 'xstate';
import { initialContext, recordingMachine } from '../recording.machine.js';
import { INITIAL_VALUE, isFinalValue, type RecordingSnapshot, stepCompiled } from './compiled.js';
import { stepInterpreted } from './interpreted.js';
import type { LIFECYCLE_STATES } from './names.js';
import { DEFAULT_RECORDING_OPTIONS } from './options.js';
import type {
  RecordingContext,
  RecordingEvent,
  RecordingInput,
  RecordingOptions,
  RecordingOutput,
} from './types.js';

export type { RecordingSnapshot } from './compiled.js';

/** The top-level lifecycle states (sub-states such as probing report their parent). */
export type LifecycleState = (typeof LIFECYCLE_STATES)[number];

/** A snapshot as plain JSON: enough to restore it exactly. */
export interface PersistedRecording {
  readonly value: StateValue;
  readonly context: RecordingContext;
}

/** The result of one step: the next snapshot and what the machine emitted, in order. */
export interface RecordingStep {
  readonly snapshot: RecordingSnapshot;
  readonly outputs: readonly RecordingOutput[];
}

/** Which interpreter steps the machine: the compiled fast path, or XState's own `transition()`. */
export type Interpreter = 'compiled' | 'xstate';

let interpreter: Interpreter = 'compiled';

/**
 * Chooses the interpreter every later `stepRecording` uses (the compiled path by default). Both
 * give the same snapshots and outputs; XState's is several times slower. For tests and tools:
 * the test suites run once on each (vitest's `xstate` project).
 * @example useInterpreter('xstate');
 */
export function useInterpreter(which: Interpreter): void {
  interpreter = which;
}

/**
 * A fresh recording in `idle`.
 * @example const snapshot = createRecording({ recording: 'r1' });
 */
export function createRecording(input: RecordingInput): RecordingSnapshot {
  return { value: INITIAL_VALUE, context: initialContext(input), status: 'active' };
}

/**
 * One pure step of the machine: the next snapshot and the outputs (effects and domain events),
 * read with the host's options (complete: see `resolveOptions`; default docs/lifecycle.md's).
 * Same result as `transition(createRecordingMachine(options), snapshot, event)` from xstate, on
 * the compiled fast path (see compiled.ts) unless `useInterpreter('xstate')` chose XState's.
 * @example
 * const { snapshot: next, outputs } = stepRecording(snapshot, { type: 'tick', at: 1_700_000_090_000 });
 */
export function stepRecording(
  snapshot: RecordingSnapshot,
  event: RecordingEvent,
  options: RecordingOptions = DEFAULT_RECORDING_OPTIONS,
): RecordingStep {
  return interpreter === 'compiled'
    ? stepCompiled(snapshot, event, options)
    : stepInterpreted(snapshot, event, options);
}

/**
 * The top-level state of a snapshot.
 * @example lifecycleState({ value: { recording: 'probing' } }) // 'recording'
 */
export function lifecycleState(snapshot: Pick<RecordingSnapshot, 'value'>): LifecycleState {
  const { value } = snapshot;
  if (typeof value === 'string') return value as LifecycleState;
  // The first key, without the array `Object.keys` makes (this runs for every decision).
  for (const key in value) return key as LifecycleState;
  return undefined as unknown as LifecycleState;
}

/**
 * A snapshot as plain JSON.
 * @example const saved = JSON.stringify(persistRecording(snapshot));
 */
export function persistRecording(snapshot: RecordingSnapshot): PersistedRecording {
  return { value: snapshot.value, context: snapshot.context };
}

/**
 * Restores a persisted snapshot; stepping it gives the same results as the original. A state
 * value the machine does not have throws.
 * @example const snapshot = restoreRecording(JSON.parse(saved));
 */
export function restoreRecording(persisted: PersistedRecording): RecordingSnapshot {
  const done = isFinalValue(persisted.value);
  return { value: persisted.value, context: persisted.context, status: done ? 'done' : 'active' };
}

/**
 * The XState snapshot of a recording, for XState's own tools (inspector, `transition()`, actors).
 * @example createActor(recordingMachine, { snapshot: toMachineSnapshot(snapshot) })
 */
export function toMachineSnapshot(
  snapshot: RecordingSnapshot,
): SnapshotFrom<typeof recordingMachine> {
  return recordingMachine.resolveState({ value: snapshot.value, context: snapshot.context });
}

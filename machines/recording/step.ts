import {
  type ActorScope,
  createActor,
  type EventObject,
  initialTransition,
  type SnapshotFrom,
  type StateValue,
} from 'xstate';
import { recordingMachine } from '../recording.machine.js';
import type { RecordingContext, RecordingEvent, RecordingInput, RecordingOutput } from './types.js';

/** A recording's machine snapshot. */
export type RecordingSnapshot = SnapshotFrom<typeof recordingMachine>;

/** The top-level lifecycle states (sub-states such as probing report their parent). */
export type LifecycleState =
  | 'idle'
  | 'starting'
  | 'recording'
  | 'failoverPending'
  | 'quit'
  | 'restarting'
  | 'stopping'
  | 'stopped'
  | 'failed';

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

/**
 * A fresh recording in `idle`.
 * @example const snapshot = createRecording({ recording: 'r1' });
 */
export function createRecording(input: RecordingInput): RecordingSnapshot {
  return initialTransition(recordingMachine, input)[0];
}

// `transition()` from xstate builds a new actor (and actor system) on every call to get an
// inert scope; this scope is built once and reused. Nothing in the machine spawns, sends or
// delays, so the scope only ever sees emitted events, which are collected per step.
let collected: RecordingOutput[] = [];
const self = createActor(recordingMachine, { input: { recording: '(scope)' } });
const scope = {
  self,
  id: '',
  sessionId: '',
  logger: () => {},
  defer: () => {},
  system: self.system,
  stopChild: () => {},
  emit: () => {},
  actionExecutor: (action: { type: string; params?: unknown }) => {
    if (action.type === 'xstate.emit') {
      collected.push((action.params as { event: RecordingOutput }).event);
    }
  },
} as unknown as ActorScope<RecordingSnapshot, RecordingEvent, never, RecordingOutput & EventObject>;

/**
 * One pure step of the machine: the next snapshot and the outputs (effects and domain events).
 * Same result as `transition(recordingMachine, snapshot, event)`, without its per-call actor.
 * @example
 * const { snapshot: next, outputs } = stepRecording(snapshot, { type: 'tick', at: 1_700_000_090_000 });
 */
export function stepRecording(snapshot: RecordingSnapshot, event: RecordingEvent): RecordingStep {
  collected = [];
  const next = recordingMachine.transition(snapshot, event, scope);
  const outputs = collected;
  collected = [];
  return { snapshot: next, outputs };
}

/** The top-level state of a snapshot. */
export function lifecycleState(snapshot: RecordingSnapshot): LifecycleState {
  const { value } = snapshot;
  return (typeof value === 'string' ? value : Object.keys(value)[0]) as LifecycleState;
}

/** A snapshot as plain JSON. */
export function persistRecording(snapshot: RecordingSnapshot): PersistedRecording {
  return { value: snapshot.value, context: snapshot.context };
}

/** Restores a persisted snapshot; stepping it gives the same results as the original. */
export function restoreRecording(persisted: PersistedRecording): RecordingSnapshot {
  return recordingMachine.resolveState({ value: persisted.value, context: persisted.context });
}

// One machine step that also reports which transition definitions it took, by running the
// machine in an actor scope whose system delivers XState's microstep inspection events.
import {
  type ActorScope,
  type AnyTransitionDefinition,
  createActor,
  type EventObject,
  type SnapshotFrom,
} from 'xstate';
import {
  type RecordingEvent,
  type RecordingOutput,
  recordingMachine,
} from '../../machines/index.js';

/** XState's own snapshot of the machine. */
export type MachineSnapshot = SnapshotFrom<typeof recordingMachine>;

export interface InspectedStep {
  readonly snapshot: MachineSnapshot;
  readonly outputs: readonly RecordingOutput[];
  readonly transitions: readonly AnyTransitionDefinition[];
}

let outputs: RecordingOutput[] = [];
let transitions: AnyTransitionDefinition[] = [];
const self = createActor(recordingMachine, {
  input: { recording: '(inspector)' },
  inspect: (inspection) => {
    if (inspection.type === '@xstate.microstep') transitions.push(...inspection._transitions);
  },
});
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
    if (action.type === 'xstate.emit')
      outputs.push((action.params as { event: RecordingOutput }).event);
  },
} as unknown as ActorScope<MachineSnapshot, RecordingEvent, never, RecordingOutput & EventObject>;

/** One step of XState's own interpreter, reporting the transitions it took. */
export function inspectedStep(snapshot: MachineSnapshot, event: RecordingEvent): InspectedStep {
  outputs = [];
  transitions = [];
  const next = recordingMachine.transition(snapshot, event, scope);
  return { snapshot: next, outputs, transitions };
}

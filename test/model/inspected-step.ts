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
  /** Every state node the step was in, transient ones (left by an eventless transition) included. */
  readonly states: ReadonlySet<string>;
}

let outputs: RecordingOutput[] = [];
let transitions: AnyTransitionDefinition[] = [];
let states = new Set<string>();
const self = createActor(recordingMachine, {
  input: { recording: '(inspector)' },
  inspect: (inspection) => {
    if (inspection.type !== '@xstate.microstep') return;
    transitions.push(...inspection._transitions);
    for (const node of (inspection.snapshot as MachineSnapshot)._nodes) states.add(node.id);
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
  states = new Set();
  const next = recordingMachine.transition(snapshot, event, scope);
  for (const node of next._nodes) states.add(node.id);
  return { snapshot: next, outputs, transitions, states };
}

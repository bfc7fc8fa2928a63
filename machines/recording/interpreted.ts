// The second interpreter: XState's own `transition()` over the machine definition, with no
// compiled table. The core runs on the compiled path (compiled.ts); the test suites run a second
// time on this one (`useInterpreter('xstate')`), so a rule test proves the definition, not only
// what the compiler made of it.
import { type SnapshotFrom, transition } from 'xstate';
import { createRecordingMachine, type RecordingMachine } from '../recording.machine.js';
import type { RecordingSnapshot } from './compiled.js';
import type { RecordingEvent, RecordingOptions, RecordingOutput } from './types.js';

type MachineSnapshot = SnapshotFrom<RecordingMachine>;

// One machine per options object: the guards and reactions of a machine read its options.
const machines = new WeakMap<RecordingOptions, RecordingMachine>();
// The XState snapshot behind each snapshot made here, so a chain of steps resolves state once.
const resolved = new WeakMap<RecordingSnapshot, MachineSnapshot>();

function machineFor(options: RecordingOptions): RecordingMachine {
  let machine = machines.get(options);
  if (machine === undefined) {
    machine = createRecordingMachine(options);
    machines.set(options, machine);
  }
  return machine;
}

/**
 * One step on XState's interpreter: the same contract as `stepCompiled` (a snapshot that has
 * ended takes no step; outputs are the emitted events, in order).
 * @example const { snapshot, outputs } = stepInterpreted(snapshot, { type: 'tick', at }, options);
 */
export function stepInterpreted(
  snapshot: RecordingSnapshot,
  event: RecordingEvent,
  options: RecordingOptions,
): { snapshot: RecordingSnapshot; outputs: RecordingOutput[] } {
  if (snapshot.status !== 'active') return { snapshot, outputs: [] };
  const machine = machineFor(options);
  const from =
    resolved.get(snapshot) ??
    machine.resolveState({ value: snapshot.value, context: snapshot.context });
  const [next, actions] = transition(machine, from, event);
  const outputs: RecordingOutput[] = [];
  for (const action of actions as readonly { type: string; params?: unknown }[]) {
    if (action.type === 'xstate.emit')
      outputs.push((action.params as { event: RecordingOutput }).event);
  }
  if (next === from) return { snapshot, outputs };
  const stepped: RecordingSnapshot = {
    value: next.value,
    context: next.context,
    status: next.status === 'done' ? 'done' : 'active',
  };
  resolved.set(stepped, next);
  return { snapshot: stepped, outputs };
}

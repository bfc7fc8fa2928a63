// The Stately inspector bridge. The core steps machines on its compiled path, so no XState actor
// exists to emit inspection events: this emits them, in XState's own shape, for any inspection
// observer (`@statelyai/inspect`'s `inspector.inspect`, or XState's `inspect` option's kind).
import type { InspectionEvent, Observer } from 'xstate';
import {
  type RecordingSnapshot,
  recordingMachine,
  toMachineSnapshot,
} from '../../machines/index.js';
import {
  type CoreState,
  type CoreStep,
  createCore,
  machineStepsOf,
  type ReceivedLine,
  type RecordingSteps,
} from '../core/index.js';
import type { JournalStep } from './journal.js';

/** What receives inspection events: an observer, or a function (as XState's `inspect` takes). */
export type InspectionObserver = Observer<InspectionEvent> | ((event: InspectionEvent) => void);

/** Emits inspection events for the core's steps. */
export interface InspectionBridge {
  /**
   * Emits the events of one core step: `before` is the state it started from, `line` what it
   * consumed, `result` what `stepLine` (or the journal) gave.
   */
  follow(before: CoreState, line: ReceivedLine, result: CoreStep): void;
  /** Emits machine steps already worked out (a feed's `onStep` gives them as `machines`). */
  emit(machines: ReadonlyMap<string, RecordingSteps>): void;
  /**
   * Emits the events of a journal's step: what it received, the outputs `receive` gave, the
   * state after. The state before is the previous push's (or `options.state` for the first).
   */
  push(step: JournalStep): void;
  /**
   * Registers every recording of `state` not yet seen, as it is now (a supervisor that resumed
   * announces what it already supervises, before any step reaches it).
   */
  announce(state: CoreState): void;
}

/** Options of `createInspectionBridge`. */
export interface InspectionBridgeOptions {
  /** The core's state before the first `push` (`journal.state`); default an empty core. */
  readonly state?: CoreState;
}

/**
 * A bridge from the core to an XState inspection observer. Each recording appears as one actor
 * (its recording id as the session id, the machine attached), registered the first time a step
 * reaches it; then every event its machine received, in input order, each followed by the
 * snapshot after it.
 * @example
 * const inspector = createBrowserInspector(); // from '@statelyai/inspect'
 * const bridge = createInspectionBridge(inspector.inspect);
 * const result = stepLine(state, line);
 * bridge.follow(state, line, result);
 * state = result.state;
 */
export function createInspectionBridge(
  observer: InspectionObserver,
  options: InspectionBridgeOptions = {},
): InspectionBridge {
  let last = options.state ?? createCore();
  const next =
    typeof observer === 'function' ? observer : (e: InspectionEvent) => observer.next?.(e);
  const actors = new Map<string, ReturnType<typeof actorRef>>();
  const register = (recording: string, snapshot: RecordingSnapshot) => {
    let actor = actors.get(recording);
    if (actor === undefined) {
      actor = actorRef(recording, snapshot);
      actors.set(recording, actor);
      next({ type: '@xstate.actor', actorRef: actor, rootId: recording });
    }
    return actor;
  };
  const emit = (steps: ReadonlyMap<string, RecordingSteps>) => {
    for (const [recording, { before, steps: taken }] of steps) {
      const actor = register(recording, before);
      for (const { event, snapshot } of taken) {
        next({
          type: '@xstate.event',
          actorRef: actor,
          rootId: recording,
          event,
          sourceRef: undefined,
        });
        actor.current = snapshot;
        next({
          type: '@xstate.snapshot',
          actorRef: actor,
          rootId: recording,
          event,
          snapshot: toMachineSnapshot(snapshot),
        });
      }
    }
  };
  return {
    emit,
    announce: (state) => {
      for (const [recording, entry] of state.recordings) register(recording, entry.snapshot);
    },
    follow: (before, _line, result) => emit(machineStepsOf(before, result.outputs)),
    push: ({ outputs, state }) => {
      const before = last;
      last = state;
      emit(machineStepsOf(before, outputs));
    },
  };
}

/** An actor reference as inspectors read it: ids, the machine (`logic`), the current snapshot. */
function actorRef(recording: string, initial: RecordingSnapshot) {
  const actor = {
    id: recording,
    sessionId: recording,
    logic: recordingMachine,
    _parent: undefined,
    current: initial,
    getSnapshot: () => toMachineSnapshot(actor.current),
    // Inputs reach the core through the journal, never through this reference.
    send: () => {},
  };
  return actor;
}

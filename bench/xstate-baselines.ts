// The ways a competent XState user runs the recording machine, fed the clean events the core's
// machines receive: the baselines the core and replay are set against.
import {
  type AnyActorRef,
  type AnyMachineSnapshot,
  assign,
  createActor,
  type EventObject,
} from 'xstate';
import {
  DEFAULT_RECORDING_OPTIONS,
  type RecordingContext,
  type RecordingEvent,
  type RecordingOutput,
  recordingMachine,
} from '../machines/index.js';
import { applyReaction } from '../machines/recording/apply-reaction.js';
import * as to from '../machines/recording/reactions.js';

/** A machine event for one recording, in the order the core's machines received them. */
export interface Delivery {
  readonly kind: 'event';
  readonly recording: string;
  readonly event: RecordingEvent;
}

// Where the plain machine's outputs go: counted, so no engine can drop the work as dead.
let sunk = 0;
const sink = (_output: RecordingOutput): void => {
  sunk += 1;
};

/** Outputs handed to the sink so far (read it so the work stays observable). */
export function sinkCount(): number {
  return sunk;
}

/**
 * The same statechart with plain `assign` actions: each reaction's patch is assigned and its
 * outputs handed to a sink, instead of going through an `enqueueActions` adapter.
 */
export const plainAssignMachine = recordingMachine.provide({
  actions: Object.fromEntries(
    Object.entries(to).map(([name, reactor]) => [
      name,
      assign(({ context, event }: { context: RecordingContext; event: RecordingEvent }) => {
        const outputs: RecordingOutput[] = [];
        const next = applyReaction(
          reactor as to.Reactor,
          context,
          event,
          DEFAULT_RECORDING_OPTIONS,
          outputs,
        );
        for (const output of outputs) sink(output);
        return next;
      }),
    ]),
  ) as never,
});

/** One live actor per recording, fed with `send` (the machine as the project ships it). */
export function runEnqueueActors(plan: readonly Delivery[]): number {
  const actors = new Map<string, AnyActorRef>();
  for (const { recording, event } of plan) {
    let actor = actors.get(recording);
    if (actor === undefined) {
      actor = createActor(recordingMachine, { input: { recording } }).start();
      actors.set(recording, actor);
    }
    actor.send(event);
  }
  return actors.size;
}

/** One live actor per recording of the plain-`assign` machine, fed with `send`. */
export function runPlainActors(plan: readonly Delivery[]): number {
  const actors = new Map<string, AnyActorRef>();
  for (const { recording, event } of plan) {
    let actor = actors.get(recording);
    if (actor === undefined) {
      actor = createActor(plainAssignMachine, { input: { recording } }).start();
      actors.set(recording, actor);
    }
    actor.send(event);
  }
  return actors.size;
}

interface Scope {
  readonly self: AnyActorRef;
  readonly system: unknown;
  readonly id: string;
  readonly sessionId: string;
  readonly defer: () => void;
  readonly logger: () => void;
  readonly stopChild: () => void;
  readonly emit: (event: EventObject) => void;
  readonly actionExecutor: () => void;
}

// What xstate's own `transition()` builds on every call, built once (its inert actor scope).
function inertScope(): Scope {
  const self = createActor(plainAssignMachine, { input: { recording: 'scope' } });
  return {
    self,
    system: self.system,
    id: '',
    sessionId: '',
    defer: () => {},
    logger: () => {},
    stopChild: () => {},
    emit: () => {},
    actionExecutor: () => {},
  };
}

interface PureLogic {
  getInitialSnapshot(scope: Scope, input: { recording: string }): AnyMachineSnapshot;
  transition(snapshot: AnyMachineSnapshot, event: RecordingEvent, scope: Scope): AnyMachineSnapshot;
}

/** A pure fold: the plain machine's `transition` per event, one snapshot per recording, one scope. */
export function runScopedFold(plan: readonly Delivery[]): number {
  const logic = plainAssignMachine as unknown as PureLogic;
  const scope = inertScope();
  const snapshots = new Map<string, AnyMachineSnapshot>();
  for (const { recording, event } of plan) {
    const current = snapshots.get(recording) ?? logic.getInitialSnapshot(scope, { recording });
    snapshots.set(recording, logic.transition(current, event, scope));
  }
  return snapshots.size;
}

/** The baselines by name, strongest candidates first. */
export const XSTATE_BASELINES = {
  plainAssignActors: {
    what: 'live actor per recording, plain assign actions, outputs to a sink, actor.send',
    run: runPlainActors,
  },
  scopedTransitionFold: {
    what: 'pure machine.transition fold of the plain-assign machine, one reused actor scope',
    run: runScopedFold,
  },
  enqueueActors: {
    what: 'live actor per recording, the shipped machine (enqueueActions), actor.send',
    run: runEnqueueActors,
  },
} as const;

/** A baseline's name. */
export type XStateBaseline = keyof typeof XSTATE_BASELINES;

import { type EventObject, enqueueActions } from 'xstate';
import type { Reactor } from './reactions.js';
import { nextWake } from './schedule.js';
import type {
  RecordingContext,
  RecordingEvent,
  RecordingOptions,
  RecordingOutput,
} from './types.js';

/** What running a reaction means, in both steppers: the context assignment and the outputs. */
export interface ReactionOutcome {
  readonly assignment: Partial<RecordingContext>;
  readonly outputs: readonly RecordingOutput[];
}

/**
 * A reaction's patch (stamped with `updatedAt`) and its outputs, plus `wakeAt` when the earliest
 * deadline moved, so a pure step exposes everything the shell must do.
 */
export function outcomeOf(
  reactor: Reactor,
  context: RecordingContext,
  event: RecordingEvent,
  options: RecordingOptions,
): ReactionOutcome {
  const { patch, emit } = reactor(context, event, options);
  const assignment =
    patch === undefined ? { updatedAt: event.at } : { ...patch, updatedAt: event.at };
  const wake = wakeMoved(context, patch);
  return { assignment, outputs: wake === null ? (emit ?? []) : [...(emit ?? []), wake] };
}

/** The `wakeAt` effect when a patch moves the earliest deadline, else null. */
export function wakeMoved(
  context: RecordingContext,
  patch: Partial<RecordingContext> | undefined,
): RecordingOutput | null {
  const wake = patch?.deadlines === undefined ? null : nextWake(patch.deadlines);
  if (wake === null || wake === nextWake(context.deadlines)) return null;
  return { kind: 'effect', recording: context.recording, type: 'wakeAt', at: wake };
}

/** Adapts a pure reaction to an XState action: assigns its patch and emits its outputs. */
export function react(reactor: Reactor, options: RecordingOptions) {
  return enqueueActions<
    RecordingContext,
    RecordingEvent,
    undefined,
    RecordingEvent,
    never,
    never,
    never,
    never,
    RecordingOutput & EventObject
  >(({ context, event, enqueue }) => {
    const { assignment, outputs } = outcomeOf(reactor, context, event, options);
    enqueue.assign(assignment);
    for (const output of outputs) enqueue.emit(output);
  });
}

// The XState side of a reaction: an action that assigns what `applyReaction` computed and emits
// its outputs. The compiled fast path calls `applyReaction` directly.
import { type EventObject, enqueueActions } from 'xstate';
import { applyReaction } from './apply-reaction.js';
import type { Reactor } from './reactions.js';
import type {
  RecordingContext,
  RecordingEvent,
  RecordingOptions,
  RecordingOutput,
} from './types.js';

/** Adapts a pure reaction to an XState action: assigns its next context and emits its outputs. */
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
    const outputs: RecordingOutput[] = [];
    const next = applyReaction(reactor, context, event, options, outputs);
    enqueue.assign(() => next);
    for (const output of outputs) enqueue.emit(output as RecordingOutput & EventObject);
  });
}

import { type EventObject, enqueueActions } from 'xstate';
import type { Reactor } from './reactions.js';
import { nextWake } from './schedule.js';
import type { RecordingContext, RecordingEvent, RecordingOutput } from './types.js';

/**
 * Adapts a pure reaction to an XState action: assigns its patch, emits its outputs, and emits
 * `wakeAt` when the earliest deadline moved, so a pure `transition()` exposes everything.
 */
export function react(reactor: Reactor) {
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
    const { patch, emit } = reactor(context, event);
    enqueue.assign(
      patch === undefined ? { updatedAt: event.at } : { ...patch, updatedAt: event.at },
    );
    for (const output of emit ?? []) enqueue.emit(output);
    if (patch?.deadlines === undefined) return;
    const wake = nextWake(patch.deadlines);
    if (wake !== null && wake !== nextWake(context.deadlines)) {
      enqueue.emit({ kind: 'effect', type: 'wakeAt', at: wake });
    }
  });
}

// What running a reaction means, written once for both interpreters: the compiled fast path
// (compiled.ts) and XState's actions (react.ts) call `applyReaction` and nothing else.
import type { Reactor } from './reactions.js';
import { nextWake } from './schedule.js';
import type {
  RecordingContext,
  RecordingEvent,
  RecordingOptions,
  RecordingOutput,
} from './types.js';

/**
 * Runs one reaction: the next context (its patch over `context`, stamped with `updatedAt`) is
 * returned; its outputs are appended to `outputs`, then `wakeAt` when the earliest deadline moved,
 * so a pure step exposes everything the shell must do.
 * @example const next = applyReaction(queryNow, context, { type: 'tick', at }, options, outputs);
 */
export function applyReaction(
  reactor: Reactor,
  context: RecordingContext,
  event: RecordingEvent,
  options: RecordingOptions,
  outputs: RecordingOutput[],
): RecordingContext {
  const { patch, emit } = reactor(context, event, options);
  // A copy then assignments: cheaper per event than spreading the patch (this runs per event).
  const next: { -readonly [K in keyof RecordingContext]: RecordingContext[K] } = { ...context };
  if (patch !== undefined) {
    for (const key in patch)
      (next as Record<string, unknown>)[key] = (patch as Record<string, unknown>)[key];
  }
  next.updatedAt = event.at;
  if (emit !== undefined) for (const output of emit) outputs.push(output);
  const wake = wakeMoved(context, patch);
  if (wake !== null) outputs.push(wake);
  return next;
}

/** The `wakeAt` effect when a patch moves the earliest deadline, else null. */
function wakeMoved(
  context: RecordingContext,
  patch: Partial<RecordingContext> | undefined,
): RecordingOutput | null {
  const wake = patch?.deadlines === undefined ? null : nextWake(patch.deadlines);
  if (wake === null || wake === nextWake(context.deadlines)) return null;
  return { kind: 'effect', recording: context.recording, type: 'wakeAt', at: wake };
}

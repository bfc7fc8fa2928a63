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
  const { patch = NO_PATCH, emit } = reactor(context, event, options);
  // One literal with every field: each context has the same shape, its fields in the object
  // itself (a spread or added keys would spill them into a separate backing store, per step).
  const next: RecordingContext = {
    recording: context.recording,
    host: patch.host !== undefined ? patch.host : context.host,
    attempt: patch.attempt !== undefined ? patch.attempt : context.attempt,
    session: patch.session !== undefined ? patch.session : context.session,
    failover: patch.failover ?? context.failover,
    monitoring: patch.monitoring ?? context.monitoring,
    lastQuery: patch.lastQuery !== undefined ? patch.lastQuery : context.lastQuery,
    outrankedQuit: patch.outrankedQuit !== undefined ? patch.outrankedQuit : context.outrankedQuit,
    deadlines: patch.deadlines ?? context.deadlines,
    restarts: patch.restarts ?? context.restarts,
    quitReason: patch.quitReason !== undefined ? patch.quitReason : context.quitReason,
    files: patch.files ?? context.files,
    previousSids: patch.previousSids ?? context.previousSids,
    orphans: patch.orphans ?? context.orphans,
    updatedAt: event.at,
  };
  if (emit !== undefined) for (const output of emit) outputs.push(output);
  const wake = wakeMoved(context, patch);
  if (wake !== null) outputs.push(wake);
  return next;
}

const NO_PATCH: Partial<RecordingContext> = Object.freeze({});

/** The `wakeAt` effect when a patch moves the earliest deadline, else null. */
function wakeMoved(
  context: RecordingContext,
  patch: Partial<RecordingContext>,
): RecordingOutput | null {
  const wake = patch.deadlines === undefined ? null : nextWake(patch.deadlines);
  if (wake === null || wake === nextWake(context.deadlines)) return null;
  return { kind: 'effect', recording: context.recording, type: 'wakeAt', at: wake };
}

// The public surface of recwatch, grouped by folder. Anything not listed here is internal.

export * from '../machines/index.js';
// --- The supervisor (issue 13): the REST client, the webhook handler, and the errors a host sees.
export * from './agora/index.js';
export type { Clock, ClockTimer, ScaledClockOptions } from './clock/index.js';
export { scaledClock, systemClock, VirtualClock } from './clock/index.js';
export * from './core/index.js';
export type { RecwatchErrorCode } from './errors/index.js';
export {
  ConfigurationError,
  InvalidCommandError,
  isRecwatchError,
  NoSessionError,
  RecordingExistsError,
  RecwatchError,
  SupervisorClosedError,
  UnknownRecordingError,
} from './errors/index.js';
export * from './log/index.js';
export * from './runtime/index.js';
export * from './signals/index.js';
export * as Dedupe from './stream/dedupe.js';
export type { DedupeSignalsOptions, OrderedSignal, ReorderSignalsOptions } from './stream/index.js';
export { dedupeSignals, PersistentMap, reorderSignals } from './stream/index.js';
export * as Reorder from './stream/reorder.js';

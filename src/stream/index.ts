export { PersistentMap } from './collections/index.js';
export type {
  DedupeKey,
  DedupeOptions,
  DedupeResult,
  DedupeState,
  SidMemory,
} from './dedupe.js';
export {
  createDedupe,
  DEFAULT_DEDUPE_OPTIONS,
  dedupe,
  dedupeSize,
  evict,
  expireDedupe,
  finishSid,
} from './dedupe.js';
export type { DedupeSignalsOptions } from './operators/dedupe-signals.js';
export { dedupeSignals } from './operators/dedupe-signals.js';
export type { OrderedSignal, ReorderSignalsOptions } from './operators/reorder-signals.js';
export { reorderSignals } from './operators/reorder-signals.js';
export { orderMatters } from './order-matters.js';
export type {
  Released,
  ReorderOptions,
  ReorderResult,
  ReorderState,
  StreamKey,
  StreamOrder,
} from './reorder.js';
export {
  advance,
  createReorder,
  DEFAULT_REORDER_OPTIONS,
  forgetSid,
  heldCount,
  nextRelease,
  offer,
} from './reorder.js';

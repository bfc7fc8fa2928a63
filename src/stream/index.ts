export { PersistentMap } from './collections/index.js';
export type { StreamContext } from './context.js';
export type {
  DedupeContext,
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
export { orderMatters } from './order-matters.js';
export type {
  Released,
  ReorderContext,
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
  offerInOrder,
} from './reorder.js';

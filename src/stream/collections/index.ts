// The persistent collections the pure core and the stream stage keep their state in: immutable
// values that share structure, updated in place only under an edit token a fold owns.
export { Edit } from './edit.js';
export type { KeySet } from './key-set.js';
export {
  EMPTY_KEY_SET,
  hasKey,
  keyCount,
  keySetOf,
  keysOf,
  OwnedKeys,
  withKey,
} from './key-set.js';
export { PersistentMap } from './persistent-map.js';
export type { StringSet } from './string-set.js';
export {
  EMPTY_STRING_SET,
  hasString,
  stringSetOf,
  stringsOf,
  withString,
} from './string-set.js';
export type { TimeQueue } from './time-queue.js';
export {
  EMPTY_TIME_QUEUE,
  peekTime,
  popTime,
  pushTime,
  timeQueueEntries,
  timeQueueOf,
  timeQueueSize,
} from './time-queue.js';

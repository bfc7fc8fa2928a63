// Rule 8, pure: is this notification a second copy? A copy has the same (sid, eventType,
// sequence) or the same noticeId as one seen before. Memory is bounded two ways: a finished
// sid is forgotten a while after it finished, and past a size cap whole sids are evicted.
import { PersistentMap } from './persistent-map.js';

/** What dedupe needs to know of a notification. */
export interface DedupeKey {
  readonly sid: string;
  readonly eventType: number;
  readonly sequence: number;
  readonly noticeId: string;
}

/** What dedupe remembers of one sid. */
interface SidMemory {
  readonly keys: PersistentMap<true>;
  /** When a notification of this sid was last seen (observed time). */
  readonly lastAt: number;
  /** When the sid was marked finished; null while it may still be live. */
  readonly finishedAt: number | null;
}

export interface DedupeOptions {
  /** How long a finished sid is still remembered, for late redundant copies. Default 10 min. */
  readonly retainFinishedMs: number;
  /** Most keys remembered over all sids; past it, whole sids are evicted. Default 200,000. */
  readonly maxKeys: number;
}

export const DEFAULT_DEDUPE_OPTIONS: DedupeOptions = {
  retainFinishedMs: 10 * 60_000,
  maxKeys: 200_000,
};

/** Dedupe's memory. Immutable: every operation returns a new state. */
export interface DedupeState {
  readonly sids: PersistentMap<SidMemory>;
  readonly keyCount: number;
  /** Finished sids in the order they finished: the front is forgotten first. */
  readonly finished: readonly { readonly sid: string; readonly at: number }[];
  readonly options: DedupeOptions;
}

/** The verdict on one notification, with the state after it. */
export interface DedupeResult {
  readonly state: DedupeState;
  readonly duplicate: boolean;
}

export function createDedupe(options: Partial<DedupeOptions> = {}): DedupeState {
  return {
    sids: PersistentMap.empty(),
    keyCount: 0,
    finished: [],
    options: { ...DEFAULT_DEDUPE_OPTIONS, ...options },
  };
}

const sequenceKey = (key: DedupeKey) => `${key.eventType}:${key.sequence}`;
const noticeKey = (key: DedupeKey) => `n:${key.noticeId}`;

/**
 * Decides whether a notification is a copy of one already seen, and remembers it if not. A
 * duplicate leaves the state exactly as it was.
 * @example
 * const first = dedupe(createDedupe(), { sid: 'S1', eventType: 40, sequence: 0, noticeId: 'n1' }, 1000);
 * dedupe(first.state, { sid: 'S1', eventType: 40, sequence: 0, noticeId: 'n2' }, 1200).duplicate; // true
 */
export function dedupe(state: DedupeState, key: DedupeKey, at: number): DedupeResult {
  const memory = state.sids.get(key.sid);
  const bySequence = sequenceKey(key);
  const byNotice = noticeKey(key);
  if (memory !== undefined && (memory.keys.has(bySequence) || memory.keys.has(byNotice))) {
    return { state, duplicate: true };
  }
  const keys = (memory?.keys ?? PersistentMap.empty<true>())
    .set(bySequence, true)
    .set(byNotice, true);
  const added = keys.size - (memory?.keys.size ?? 0);
  const next: DedupeState = {
    ...state,
    sids: state.sids.set(key.sid, {
      keys,
      lastAt: Math.max(at, memory?.lastAt ?? at),
      finishedAt: memory?.finishedAt ?? null,
    }),
    keyCount: state.keyCount + added,
  };
  return { state: next.keyCount > next.options.maxKeys ? evict(next) : next, duplicate: false };
}

/** Marks a sid finished at `at`: it is forgotten `retainFinishedMs` later. */
export function finishSid(state: DedupeState, sid: string, at: number): DedupeState {
  const memory = state.sids.get(sid);
  if (memory === undefined || memory.finishedAt !== null) return state;
  return {
    ...state,
    sids: state.sids.set(sid, { ...memory, finishedAt: at }),
    finished: [...state.finished, { sid, at }],
  };
}

/** Forgets the finished sids whose retention ran out by `at`. */
export function expireDedupe(state: DedupeState, at: number): DedupeState {
  const { retainFinishedMs } = state.options;
  let count = 0;
  while (
    count < state.finished.length &&
    (state.finished[count]?.at ?? 0) + retainFinishedMs <= at
  ) {
    count += 1;
  }
  if (count === 0) return state;
  let sids = state.sids;
  let keyCount = state.keyCount;
  for (const { sid } of state.finished.slice(0, count)) {
    const memory = sids.get(sid);
    // A sid that came back to life (finished again later) is not forgotten early.
    if (
      memory === undefined ||
      memory.finishedAt === null ||
      memory.finishedAt + retainFinishedMs > at
    ) {
      continue;
    }
    sids = sids.delete(sid);
    keyCount -= memory.keys.size;
  }
  return { ...state, sids, keyCount, finished: state.finished.slice(count) };
}

/** How many sids and keys are remembered. */
export function dedupeSize(state: DedupeState): { sids: number; keys: number } {
  return { sids: state.sids.size, keys: state.keyCount };
}

/**
 * The eviction rule, past `maxKeys`: forget whole sids until at most 90% of `maxKeys` keys
 * remain (so eviction is rare, not on every insert): finished sids first, earliest finished
 * first; then live ones, least recently seen first. Ties go by sid, so replay is deterministic.
 */
export function evict(state: DedupeState): DedupeState {
  const target = Math.floor(state.options.maxKeys * 0.9);
  const order = [...state.sids.entries()].sort(([sidA, a], [sidB, b]) => {
    const finishedA = a.finishedAt ?? Number.POSITIVE_INFINITY;
    const finishedB = b.finishedAt ?? Number.POSITIVE_INFINITY;
    if (finishedA !== finishedB) return finishedA - finishedB;
    if (a.lastAt !== b.lastAt) return a.lastAt - b.lastAt;
    return sidA < sidB ? -1 : sidA > sidB ? 1 : 0;
  });
  let sids = state.sids;
  let keyCount = state.keyCount;
  const forgotten = new Set<string>();
  for (const [sid, memory] of order) {
    if (keyCount <= target) break;
    sids = sids.delete(sid);
    keyCount -= memory.keys.size;
    forgotten.add(sid);
  }
  return {
    ...state,
    sids,
    keyCount,
    finished: state.finished.filter(({ sid }) => !forgotten.has(sid)),
  };
}

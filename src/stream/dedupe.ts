// Rule 8, pure: is this notification a second copy? A copy has the same (sid, recorder uid,
// eventType, sequence) or the same non-empty noticeId as one seen before. Two notifications of
// one sid that differ in recorder uid are never copies: whether `sequence` goes on across a
// failover or starts again for the new uid is not documented, and this is right under both.
// Memory is bounded three ways:
// - per sid, keys live in two generations: a key is remembered for at least `windowMs` after it
//   was seen and at most twice that (copies come within minutes: Agora's redundant sending and
//   its resends), so a long recording does not grow its memory;
// - a finished sid is forgotten `retainFinishedMs` after it finished;
// - past `maxKeys` in all, whole sids are evicted (see `evict`).

import {
  type Edit,
  EMPTY_KEY_SET,
  hasKey,
  type KeySet,
  keyCount,
  PersistentMap,
  withKey,
} from './collections/index.js';

/** What dedupe needs to know of a notification. */
export interface DedupeKey {
  readonly sid: string;
  /** The recorder uid that sent it ('' when the payload had none). */
  readonly uid: string;
  readonly eventType: number;
  readonly sequence: number;
  readonly noticeId: string;
}

/** The keys seen in one window: (eventType, sequence) pairs and noticeIds, kept apart. */
interface Generation {
  readonly sequences: KeySet;
  readonly notices: KeySet;
}

/** What dedupe remembers of one sid: keys seen in this window and the one before. */
interface SidMemory {
  readonly current: Generation;
  readonly previous: Generation;
  /** When `current` was started (observed time). */
  readonly since: number;
  /** The highest sequence seen: a higher one cannot be a copy by (eventType, sequence). */
  readonly maxSequence: number;
  /** When a notification of this sid was last seen (observed time). */
  readonly lastAt: number;
  /** When the sid was marked finished; null while it may still be live. */
  readonly finishedAt: number | null;
}

export interface DedupeOptions {
  /** The shortest time a key is remembered. Default 10 min. */
  readonly windowMs: number;
  /** How long a finished sid is still remembered, for late redundant copies. Default 10 min. */
  readonly retainFinishedMs: number;
  /** Most keys remembered over all sids; past it, whole sids are evicted. Default 200,000. */
  readonly maxKeys: number;
}

/** Dedupe's defaults. */
export const DEFAULT_DEDUPE_OPTIONS: DedupeOptions = {
  windowMs: 10 * 60_000,
  retainFinishedMs: 10 * 60_000,
  maxKeys: 200_000,
};

/** Dedupe's memory. Immutable: every operation returns a new state. */
export interface DedupeState {
  readonly sids: PersistentMap<SidMemory>;
  readonly keyCount: number;
  /** Finished sids in the order they finished: the front is forgotten first. */
  readonly finished: readonly { readonly sid: string; readonly at: number }[];
}

/** The verdict on one notification, with the state after it. */
export interface DedupeResult {
  readonly state: DedupeState;
  readonly duplicate: boolean;
}

/**
 * An empty dedupe memory. Options are passed to each operation, not kept in the state.
 * @example let memory = createDedupe();
 */
export function createDedupe(): DedupeState {
  return { sids: PersistentMap.empty(), keyCount: 0, finished: [] };
}

const EMPTY_GENERATION: Generation = { sequences: EMPTY_KEY_SET, notices: EMPTY_KEY_SET };
// The uid goes last: it is the part that may hold any character.
const sequenceKey = (key: DedupeKey) => `${key.eventType}:${key.sequence}:${key.uid}`;
const generationSize = (g: Generation) => keyCount(g.sequences) + keyCount(g.notices);
const sizeOf = (memory: SidMemory) =>
  generationSize(memory.current) + generationSize(memory.previous);
const knowsSequence = (memory: SidMemory, key: string) =>
  hasKey(memory.current.sequences, key) || hasKey(memory.previous.sequences, key);
// The noticeId itself is the key: a string the payload already holds, its hash computed once.
const knowsNotice = (memory: SidMemory, noticeId: string) =>
  hasKey(memory.current.notices, noticeId) || hasKey(memory.previous.notices, noticeId);

/**
 * Decides whether a notification is a copy of one already seen, and remembers it if not. A
 * duplicate leaves the state exactly as it was. An empty noticeId identifies nothing and is not
 * remembered. `edit`: see `PersistentMap`.
 * @example
 * const first = dedupe(createDedupe(), { sid: 'S1', uid: '1', eventType: 40, sequence: 0, noticeId: 'n1' }, 1000);
 * dedupe(first.state, { sid: 'S1', uid: '1', eventType: 40, sequence: 0, noticeId: 'n2' }, 1200).duplicate; // true
 */
export function dedupe(
  state: DedupeState,
  key: DedupeKey,
  at: number,
  options: DedupeOptions = DEFAULT_DEDUPE_OPTIONS,
  edit: Edit | null = null,
): DedupeResult {
  const memory = state.sids.get(key.sid);
  const bySequence = sequenceKey(key);
  // Most notifications come in order, above every sequence seen: one lookup fewer per map.
  const seenSequence =
    memory !== undefined && key.sequence <= memory.maxSequence && knowsSequence(memory, bySequence);
  const hasNotice = key.noticeId !== '';
  if (seenSequence || (hasNotice && memory !== undefined && knowsNotice(memory, key.noticeId))) {
    return { state, duplicate: true };
  }
  // Sizes are read before the sets: with an edit token, maps may change in place.
  const before = memory === undefined ? 0 : sizeOf(memory);
  const rotate = memory === undefined || at - memory.since >= options.windowMs;
  const previous =
    memory === undefined ? EMPTY_GENERATION : rotate ? memory.current : memory.previous;
  const base = memory === undefined || rotate ? EMPTY_GENERATION : memory.current;
  const current: Generation = {
    sequences: withKey(base.sequences, bySequence, edit),
    notices: hasNotice ? withKey(base.notices, key.noticeId, edit) : base.notices,
  };
  const next: SidMemory = {
    current,
    previous,
    since: rotate ? at : (memory as SidMemory).since,
    maxSequence: Math.max(key.sequence, memory?.maxSequence ?? -1),
    lastAt: Math.max(at, memory?.lastAt ?? at),
    finishedAt: memory?.finishedAt ?? null,
  };
  const keyCount = state.keyCount - before + sizeOf(next);
  const result: DedupeState = { ...state, sids: state.sids.set(key.sid, next, edit), keyCount };
  return {
    state: keyCount > options.maxKeys ? evict(result, options, edit) : result,
    duplicate: false,
  };
}

/**
 * Marks a sid finished at `at`: it is forgotten `retainFinishedMs` later.
 * @example memory = finishSid(memory, 'S1', Date.now());
 */
export function finishSid(
  state: DedupeState,
  sid: string,
  at: number,
  edit: Edit | null = null,
): DedupeState {
  const memory = state.sids.get(sid);
  if (memory === undefined || memory.finishedAt !== null) return state;
  return {
    ...state,
    sids: state.sids.set(sid, { ...memory, finishedAt: at }, edit),
    finished: [...state.finished, { sid, at }],
  };
}

/**
 * Forgets the finished sids whose retention ran out by `at`.
 * @example memory = expireDedupe(memory, Date.now());
 */
export function expireDedupe(
  state: DedupeState,
  at: number,
  options: DedupeOptions = DEFAULT_DEDUPE_OPTIONS,
  edit: Edit | null = null,
): DedupeState {
  const { retainFinishedMs } = options;
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
    sids = sids.delete(sid, edit);
    keyCount -= sizeOf(memory);
  }
  return { ...state, sids, keyCount, finished: state.finished.slice(count) };
}

/**
 * How many sids and keys are remembered.
 * @example dedupeSize(memory) // { sids: 12, keys: 830 }
 */
export function dedupeSize(state: DedupeState): { sids: number; keys: number } {
  return { sids: state.sids.size, keys: state.keyCount };
}

/**
 * The eviction rule, past `maxKeys`: forget whole sids until at most 90% of `maxKeys` keys
 * remain (so eviction is rare, not on every insert): finished sids first, earliest finished
 * first; then live ones, least recently seen first. Ties go by sid, so replay is deterministic.
 * `dedupe` applies it by itself; it is exported for tests and tools.
 * @example memory = evict(memory);
 */
export function evict(
  state: DedupeState,
  options: DedupeOptions = DEFAULT_DEDUPE_OPTIONS,
  edit: Edit | null = null,
): DedupeState {
  const target = Math.floor(options.maxKeys * 0.9);
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
    sids = sids.delete(sid, edit);
    keyCount -= sizeOf(memory);
    forgotten.add(sid);
  }
  return {
    ...state,
    sids,
    keyCount,
    finished: state.finished.filter(({ sid }) => !forgotten.has(sid)),
  };
}

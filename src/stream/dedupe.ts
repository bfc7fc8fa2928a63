// Rule 8, pure: is this notification a second copy? A copy has the same (sid, recorder uid,
// eventType, sequence) or the same non-empty noticeId as one seen before. Two notifications of
// one sid that differ in recorder uid are never copies: whether `sequence` goes on across a
// failover or starts again for the new uid is not documented, and this is right under both.
// Memory is bounded, and a live sid's memory is never given up for another's:
// - per sid, keys live in two generations: a key is remembered for at least `windowMs` after it
//   was seen and at most twice that (copies come within minutes: Agora's redundant sending and
//   its resends), so a long recording does not grow its memory; a sid past `maxKeysPerSid`
//   turns its window early, so a chatty one cannot either;
// - a finished sid is forgotten `retainFinishedMs` after it finished;
// - past `maxKeys` in all, finished sids are forgotten earlier, earliest finished first (one at a
//   time off a queue, never a sort of every sid). So capacity follows the fleet: live sids cost
//   what they hold, and only finished ones make room.
import {
  EMPTY_KEY_SET,
  EMPTY_TIME_QUEUE,
  hasKey,
  type KeySet,
  keyCount,
  PersistentMap,
  peekTime,
  popTime,
  pushTime,
  type TimeQueue,
  withKey,
} from './collections/index.js';
import { editOf, type StreamContext } from './context.js';

/** What dedupe needs to know of a notification. */
export interface DedupeKey {
  readonly sid: string;
  /** The recorder uid that sent it ('' when the payload had none). */
  readonly uid: string;
  readonly eventType: number;
  readonly sequence: number;
  readonly noticeId: string;
}

/**
 * What dedupe remembers of one sid: the keys seen in this window and the one before. Flat, and
 * one key set per window: a sid's memory is a few objects, however many sids there are.
 */
export interface SidMemory {
  /** Keys seen in the current window (see `sequenceKey` and `noticeKey`). */
  readonly keys: KeySet;
  /** Keys seen in the window before. */
  readonly previousKeys: KeySet;
  /** When the current window was started (observed time). */
  readonly since: number;
  /** The highest sequence seen: a higher one cannot be a copy by (eventType, sequence). */
  readonly maxSequence: number;
  /** When the sid was marked finished; null while it may still be live. */
  readonly finishedAt: number | null;
}

/** Dedupe's options, and the edit token of a fold that owns the state (see `StreamContext`). */
export type DedupeContext = StreamContext<DedupeOptions>;

export interface DedupeOptions {
  /** The shortest time a key is remembered. Default 10 min. */
  readonly windowMs: number;
  /** How long a finished sid is still remembered, for late redundant copies. Default 10 min. */
  readonly retainFinishedMs: number;
  /**
   * Keys remembered over all sids past which finished sids are forgotten early (earliest
   * finished first); live sids are never forgotten for room. Default 200,000.
   */
  readonly maxKeys: number;
  /**
   * Most keys one sid keeps in a window (a notification is one or two keys); past it, its window
   * turns early and its oldest keys go. Default 2,000.
   */
  readonly maxKeysPerSid: number;
}

/** Dedupe's defaults. */
export const DEFAULT_DEDUPE_OPTIONS: DedupeOptions = {
  windowMs: 10 * 60_000,
  retainFinishedMs: 10 * 60_000,
  maxKeys: 200_000,
  maxKeysPerSid: 2_000,
};

/** Dedupe's memory. Immutable: every operation returns a new state. */
export interface DedupeState {
  readonly sids: PersistentMap<SidMemory>;
  readonly keyCount: number;
  /** Finished sids by when they finished (ties by sid): the earliest is forgotten first. */
  readonly finished: TimeQueue;
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
  return { sids: PersistentMap.empty(), keyCount: 0, finished: EMPTY_TIME_QUEUE };
}

// Both kinds of key share one set, and can never be equal: a sequence key is \u0001 then a
// digit (an eventType); a noticeId that starts with \u0001 gets a second one. The uid goes last:
// it is the part that may hold any character.
const MARK = '\u0001';
const sequenceKey = (key: DedupeKey) => `${MARK}${key.eventType}:${key.sequence}:${key.uid}`;
// Most noticeIds are their own key: a string the payload already holds.
const noticeKey = (noticeId: string) =>
  noticeId.charCodeAt(0) === 1 ? `${MARK}${noticeId}` : noticeId;
const sizeOf = (m: SidMemory) => keyCount(m.keys) + keyCount(m.previousKeys);
const knows = (m: SidMemory, key: string) => hasKey(m.keys, key) || hasKey(m.previousKeys, key);

/**
 * Decides whether a notification is a copy of one already seen, and remembers it if not. A
 * duplicate leaves the state exactly as it was. An empty noticeId identifies nothing and is not
 * remembered. `context`: the options, and the edit token of a fold that owns `state` (see
 * `StreamContext`).
 * @example
 * const first = dedupe(createDedupe(), { sid: 'S1', uid: '1', eventType: 40, sequence: 0, noticeId: 'n1' }, 1000);
 * dedupe(first.state, { sid: 'S1', uid: '1', eventType: 40, sequence: 0, noticeId: 'n2' }, 1200).duplicate; // true
 */
export function dedupe(
  state: DedupeState,
  key: DedupeKey,
  at: number,
  context: DedupeContext = DEFAULT_DEDUPE_OPTIONS,
): DedupeResult {
  const edit = editOf(context);
  const memory = state.sids.get(key.sid);
  const bySequence = sequenceKey(key);
  const byNotice = key.noticeId === '' ? null : noticeKey(key.noticeId);
  // Most notifications come in order, above every sequence seen: one lookup fewer.
  const seenSequence =
    memory !== undefined && key.sequence <= memory.maxSequence && knows(memory, bySequence);
  if (seenSequence || (byNotice !== null && memory !== undefined && knows(memory, byNotice))) {
    return { state, duplicate: true };
  }
  // Sizes are read before the sets: with an edit token, sets may change in place.
  const before = memory === undefined ? 0 : sizeOf(memory);
  const rotate =
    memory === undefined ||
    at - memory.since >= context.windowMs ||
    keyCount(memory.keys) >= context.maxKeysPerSid;
  const compact = context.compactKeys === true;
  const withSequence = withKey(rotate ? EMPTY_KEY_SET : memory.keys, bySequence, edit, compact);
  const next: SidMemory = {
    keys: byNotice === null ? withSequence : withKey(withSequence, byNotice, edit, compact),
    previousKeys: memory === undefined ? EMPTY_KEY_SET : rotate ? memory.keys : memory.previousKeys,
    since: rotate ? at : memory.since,
    maxSequence: Math.max(key.sequence, memory?.maxSequence ?? -1),
    finishedAt: memory?.finishedAt ?? null,
  };
  const keys = state.keyCount - before + sizeOf(next);
  const result: DedupeState = {
    sids: state.sids.set(key.sid, next, edit),
    keyCount: keys,
    finished: state.finished,
  };
  return {
    state: keys > context.maxKeys ? evict(result, context) : result,
    duplicate: false,
  };
}

/**
 * Marks a sid finished at `at`: it is forgotten `retainFinishedMs` later. `context`: only its
 * edit token is read (see `StreamContext`).
 * @example memory = finishSid(memory, 'S1', Date.now());
 */
export function finishSid(
  state: DedupeState,
  sid: string,
  at: number,
  context: Partial<DedupeContext> = DEFAULT_DEDUPE_OPTIONS,
): DedupeState {
  const memory = state.sids.get(sid);
  if (memory === undefined || memory.finishedAt !== null) return state;
  return {
    ...state,
    sids: state.sids.set(sid, { ...memory, finishedAt: at }, editOf(context)),
    finished: pushTime(state.finished, at, sid),
  };
}

/**
 * Forgets the finished sids whose retention ran out by `at`.
 * @example memory = expireDedupe(memory, Date.now());
 */
export function expireDedupe(
  state: DedupeState,
  at: number,
  context: DedupeContext = DEFAULT_DEDUPE_OPTIONS,
): DedupeState {
  const { retainFinishedMs } = context;
  const edit = editOf(context);
  let { sids, keyCount, finished } = state;
  for (
    let first = peekTime(finished);
    first !== null && first.at + retainFinishedMs <= at;
    first = peekTime(finished)
  ) {
    finished = popTime(finished);
    const memory = sids.get(first.id);
    if (memory?.finishedAt !== first.at) continue;
    sids = sids.delete(first.id, edit);
    keyCount -= sizeOf(memory);
  }
  return finished === state.finished ? state : { sids, keyCount, finished };
}

/**
 * How many sids and keys are remembered.
 * @example dedupeSize(memory) // { sids: 12, keys: 830 }
 */
export function dedupeSize(state: DedupeState): { sids: number; keys: number } {
  return { sids: state.sids.size, keys: state.keyCount };
}

/**
 * The eviction rule, past `maxKeys`: forget finished sids, earliest finished first (ties by sid),
 * until at most 90% of `maxKeys` keys remain (so eviction is rare, not on every insert) or no
 * finished sid is left. Live sids are never forgotten for room. Each step pops one finished sid,
 * so its cost is the number of sids forgotten. `dedupe` applies it by itself; exported for tools.
 * @example memory = evict(memory);
 */
export function evict(
  state: DedupeState,
  context: DedupeContext = DEFAULT_DEDUPE_OPTIONS,
): DedupeState {
  const edit = editOf(context);
  const target = Math.floor(context.maxKeys * 0.9);
  let { sids, keyCount, finished } = state;
  for (
    let first = peekTime(finished);
    first !== null && keyCount > target;
    first = peekTime(finished)
  ) {
    finished = popTime(finished);
    const memory = sids.get(first.id);
    if (memory?.finishedAt !== first.at) continue;
    sids = sids.delete(first.id, edit);
    keyCount -= sizeOf(memory);
  }
  return finished === state.finished ? state : { sids, keyCount, finished };
}

// Rule 9, pure: deliver each recorder's notifications in `sequence` order, holding only what the
// order can change, for only as long as it can. A sid's notifications form one stream per
// recorder uid: whether `sequence` goes on across a failover or starts again for the new uid is
// not documented (rule 8), and per-uid streams are right under both readings. A stream begins
// with the first notification seen of it (hosts that subscribe to some event types never see
// the others' numbers), so nothing waits for a predecessor that may never have been sent.
// After that, a notification with a gap before it is held only when the caller says its order
// matters, for at most `holdMs` of observed time, and no longer than until a later notification
// of its stream is delivered; one that arrives after its successors is late: delivered, marked.
import { type Edit, PersistentMap } from './collections/index.js';
import { editOf, type StreamContext } from './context.js';

export interface ReorderOptions {
  /** How long a notification waits for a missing predecessor (observed time). Default 2 s. */
  readonly holdMs: number;
}

/** Reorder's options, and the edit token of a fold that owns the state (see `StreamContext`). */
export type ReorderContext = StreamContext<ReorderOptions>;

/** Reorder's defaults: a 2 s hold, as docs/lifecycle.md rule 9 says. */
export const DEFAULT_REORDER_OPTIONS: ReorderOptions = { holdMs: 2000 };

interface Held<T> {
  readonly sequence: number;
  readonly item: T;
  readonly heldAt: number;
}

// One shared empty list: most streams hold nothing, and an empty array each would add up.
const NOTHING_HELD: readonly Held<never>[] = Object.freeze([]);

/** One recorder's stream within a sid: the next sequence expected, and what waits for it. */
export interface StreamOrder<T> {
  readonly uid: string;
  readonly next: number;
  readonly held: readonly Held<T>[];
}

/** Reorder's memory. Immutable: every operation returns a new state. */
export interface ReorderState<T> {
  /** Per sid, its recorders' streams (a few: one per failover at most). */
  readonly sids: PersistentMap<readonly StreamOrder<T>[]>;
  /** The sids holding something: time only needs to look at these. */
  readonly holding: PersistentMap<true>;
  /** The earliest time a hold runs out, or null: `advance` before it is free. */
  readonly nextDue: number | null;
}

/** An item let through, in order, with what happened on the way. */
export interface Released<T> {
  readonly sid: string;
  readonly uid: string;
  readonly sequence: number;
  readonly item: T;
  /** Sequences skipped just before this one while it waited (its hold ended), or null. */
  readonly gap: { readonly from: number; readonly to: number } | null;
  /** It came after later sequences of its stream had been delivered. */
  readonly late: boolean;
  /** How long it was held (0 if not). */
  readonly heldFor: number;
}

export interface ReorderResult<T> {
  readonly state: ReorderState<T>;
  readonly released: readonly Released<T>[];
  /** The offered item is waiting for a predecessor. */
  readonly held: boolean;
}

/** Where an offered notification belongs: its sid, recorder uid and sequence. */
export interface StreamKey {
  readonly sid: string;
  readonly uid: string;
  readonly sequence: number;
}

/**
 * An empty reorder memory, for items of type T. Options are passed to each operation, not kept.
 * @example let order = createReorder<Notification>();
 */
export function createReorder<T>(): ReorderState<T> {
  return { sids: PersistentMap.empty(), holding: PersistentMap.empty(), nextDue: null };
}

/**
 * Offers one notification observed at `at`; returns what can be delivered now, in order.
 * `orderMatters`: whether this item may wait for a missing predecessor (false: it passes at
 * once, and anything held before it in its stream goes first). `context`: the options, and the
 * edit token of a fold that owns `state` (see `StreamContext`).
 * @example
 * let r = offer(createReorder<string>(), { sid: 'S1', uid: '1', sequence: 0 }, 'a', 1000, true);
 * r = offer(r.state, { sid: 'S1', uid: '1', sequence: 2 }, 'c', 1100, true); // held: 1 is missing
 * r = offer(r.state, { sid: 'S1', uid: '1', sequence: 1 }, 'b', 1500, true); // released: b then c
 */
export function offer<T>(
  state: ReorderState<T>,
  key: StreamKey,
  item: T,
  at: number,
  orderMatters: boolean,
  context: ReorderContext = DEFAULT_REORDER_OPTIONS,
): ReorderResult<T> {
  const options = context;
  const edit = editOf(context);
  const { sid, uid, sequence } = key;
  const streams = state.sids.get(sid) ?? NO_STREAMS;
  const stream = streamOf(streams, uid);
  const now: Released<T> = { sid, uid, sequence, item, gap: null, late: false, heldFor: 0 };
  // A new recorder's first word whose number goes on from another stream of the sid (sequence
  // counting on across a failover) is in order under that reading: nothing is missing.
  if (
    stream === undefined &&
    (!orderMatters || sequence === 0 || streams.some((other) => other.next === sequence))
  ) {
    // The first of its stream: it begins here (a host may never see the numbers before it).
    const begun = { uid, next: sequence + 1, held: NOTHING_HELD };
    return {
      state: withStreams(state, sid, [...streams, begun], edit),
      released: [now],
      held: false,
    };
  }
  if (stream === undefined) {
    // A first one whose meaning an earlier one could change (a quit after a quit): it waits.
    const begun = { uid, next: 0, held: [{ sequence, item, heldAt: at }] };
    const due = at + options.holdMs;
    const nextDue = state.nextDue === null ? due : Math.min(state.nextDue, due);
    return {
      state: { ...withStreams(state, sid, [...streams, begun], edit), nextDue },
      released: [],
      held: true,
    };
  }
  if (sequence < stream.next) {
    return { state, released: [{ ...now, late: true }], held: false };
  }
  if (sequence > stream.next && orderMatters) {
    const held = insertHeld(stream.held, { sequence, item, heldAt: at });
    const due = at + options.holdMs;
    const nextDue = state.nextDue === null ? due : Math.min(state.nextDue, due);
    const next = withStream(state, sid, streams, { ...stream, held }, edit);
    return { state: { ...next, nextDue }, released: [], held: true };
  }
  if (stream.held.length === 0) {
    // The common case, in order with nothing waiting: it goes, and its stream moves on.
    const moved = { uid, next: Math.max(stream.next, sequence + 1), held: NOTHING_HELD };
    return { state: withStream(state, sid, streams, moved, edit), released: [now], held: false };
  }
  // Delivered now: what waited before it goes first (its wait is over), then it, then any
  // held successors that now follow in order.
  const released: Released<T>[] = [];
  const before = stream.held.filter((h) => h.sequence < sequence);
  let next = releaseInOrder(sid, uid, stream.next, before, at, released);
  released.push(now);
  next = Math.max(next, sequence + 1);
  const later = stream.held.filter((h) => h.sequence > sequence);
  const after = later.length === 0 ? NOTHING_HELD : later;
  const drained = drain(sid, { uid, next, held: after }, at, released, options);
  const result = withStream(state, sid, streams, drained, edit);
  return {
    state:
      before.length > 0 || stream.held.length !== drained.held.length
        ? withDue(result, options)
        : result,
    released,
    held: false,
  };
}

/**
 * `offer`'s common case, without a result to make: the notification is the next of its
 * recorder's stream, which holds nothing (or a later one whose order does not matter). It passes
 * at once, neither late nor after a gap (`offer` would release it alone, `gap` null, `late`
 * false), and its stream moves on: the state after it is returned. Null in every other case
 * (a new stream, something held, a late one, one to hold), with `state` untouched: call `offer`.
 * @example const passed = offerInOrder(order, { sid: 'S1', uid: '1', sequence: 1 }, true) ?? offer(...)
 */
export function offerInOrder<T>(
  state: ReorderState<T>,
  key: StreamKey,
  orderMatters: boolean,
  context: ReorderContext = DEFAULT_REORDER_OPTIONS,
): ReorderState<T> | null {
  const { sid, uid, sequence } = key;
  const streams = state.sids.get(sid);
  if (streams === undefined) return null;
  const stream = streamOf(streams, uid);
  if (stream === undefined || stream.held.length > 0 || sequence < stream.next) return null;
  if (sequence > stream.next && orderMatters) return null;
  const moved = { uid, next: sequence + 1, held: NOTHING_HELD };
  const edit = editOf(context);
  for (const other of streams)
    if (other.held.length > 0) return withStream(state, sid, streams, moved, edit);
  // Nothing of the sid holds, before or after: `holding` does not have it (see `withStreams`).
  const sids = state.sids.set(sid, replaced(streams, moved), edit);
  return sids === state.sids ? state : { sids, holding: state.holding, nextDue: state.nextDue };
}

/**
 * Lets time pass to `at`: every stream whose oldest held item has waited `holdMs` releases, in
 * sequence order, everything up to that item, noting the gaps, then whatever follows in order.
 * @example const { state, released } = advance(order, Date.now());
 */
export function advance<T>(
  state: ReorderState<T>,
  at: number,
  context: ReorderContext = DEFAULT_REORDER_OPTIONS,
): ReorderResult<T> {
  const options = context;
  const edit = editOf(context);
  if (state.nextDue === null || state.nextDue > at) return { state, released: [], held: false };
  const released: Released<T>[] = [];
  let next = state;
  // A list first: with an edit token, `holding` changes in place as sids are drained.
  for (const sid of [...state.holding.keys()]) {
    const streams = next.sids.get(sid) ?? [];
    if (!streams.some((s) => s.held.some((h) => h.heldAt + options.holdMs <= at))) continue;
    const drained = streams.map((s) => drain(sid, s, at, released, options));
    next = withStreams(next, sid, drained, edit);
  }
  return { state: withDue(next, options), released, held: false };
}

/**
 * The earliest time at which `advance` would release something, or null.
 * @example nextRelease(order) // 1700000002000
 */
export function nextRelease<T>(state: ReorderState<T>): number | null {
  return state.nextDue;
}

/**
 * Forgets a sid (it is finished); anything still held for it is returned, in order per stream.
 * @example const { released } = forgetSid(order, 'S1', Date.now());
 */
export function forgetSid<T>(
  state: ReorderState<T>,
  sid: string,
  at: number,
  context: ReorderContext = DEFAULT_REORDER_OPTIONS,
): ReorderResult<T> {
  const options = context;
  const edit = editOf(context);
  const streams = state.sids.get(sid);
  if (streams === undefined) return { state, released: [], held: false };
  const released: Released<T>[] = [];
  for (const stream of streams)
    releaseInOrder(sid, stream.uid, stream.next, stream.held, at, released);
  const forgotten = {
    ...state,
    sids: state.sids.delete(sid, edit),
    holding: state.holding.delete(sid, edit),
  };
  return {
    state: released.length > 0 ? withDue(forgotten, options) : forgotten,
    released,
    held: false,
  };
}

/**
 * How many notifications are held, over all sids.
 * @example heldCount(order) // 3
 */
export function heldCount<T>(state: ReorderState<T>): number {
  let count = 0;
  for (const sid of state.holding.keys())
    for (const stream of state.sids.get(sid) ?? []) count += stream.held.length;
  return count;
}

/** Releases `held` (sorted) in order from `next`, gaps noted; returns the next expected. */
function releaseInOrder<T>(
  sid: string,
  uid: string,
  next: number,
  held: readonly Held<T>[],
  at: number,
  released: Released<T>[],
): number {
  let expected = next;
  for (const h of held) {
    const gap = h.sequence > expected ? { from: expected, to: h.sequence - 1 } : null;
    released.push({
      sid,
      uid,
      sequence: h.sequence,
      item: h.item,
      gap,
      late: h.sequence < expected,
      heldFor: Math.max(0, at - h.heldAt),
    });
    expected = Math.max(expected, h.sequence + 1);
  }
  return expected;
}

/**
 * Releases from `stream.held`, in sequence order: consecutive ones, and any held item that has
 * waited long enough together with everything held before it (noting the gaps).
 */
function drain<T>(
  sid: string,
  stream: StreamOrder<T>,
  at: number,
  released: Released<T>[],
  options: ReorderOptions,
): StreamOrder<T> {
  const held = stream.held;
  if (held.length === 0) return stream;
  // The last held item whose hold ran out: everything up to it goes, gaps or not.
  let lastExpired = -1;
  held.forEach((h, index) => {
    if (h.heldAt + options.holdMs <= at) lastExpired = index;
  });
  let next = stream.next;
  let index = 0;
  while (index < held.length) {
    const h = held[index] as Held<T>;
    if (h.sequence > next && index > lastExpired) break;
    next = releaseInOrder(sid, stream.uid, next, [h], at, released);
    index += 1;
  }
  if (index === 0) return stream;
  return { uid: stream.uid, next, held: index === held.length ? NOTHING_HELD : held.slice(index) };
}

function insertHeld<T>(held: readonly Held<T>[], item: Held<T>): readonly Held<T>[] {
  const index = held.findIndex((h) => h.sequence > item.sequence);
  return index < 0 ? [...held, item] : [...held.slice(0, index), item, ...held.slice(index)];
}

/** Recomputes `nextDue` after holds were released (a scan, only when something was due). */
function withDue<T>(state: ReorderState<T>, options: ReorderOptions): ReorderState<T> {
  let nextDue: number | null = null;
  for (const sid of state.holding.keys()) {
    for (const stream of state.sids.get(sid) ?? []) {
      for (const { heldAt } of stream.held) {
        const due = heldAt + options.holdMs;
        if (nextDue === null || due < nextDue) nextDue = due;
      }
    }
  }
  return { ...state, nextDue };
}

// One shared empty list of streams, for a sid not seen yet.
const NO_STREAMS: readonly StreamOrder<never>[] = Object.freeze([]);

/** The stream of recorder `uid` among a sid's (a few: a loop, not a closure per call). */
function streamOf<T>(streams: readonly StreamOrder<T>[], uid: string): StreamOrder<T> | undefined {
  for (const stream of streams) if (stream.uid === uid) return stream;
  return undefined;
}

function withStream<T>(
  state: ReorderState<T>,
  sid: string,
  streams: readonly StreamOrder<T>[],
  stream: StreamOrder<T>,
  edit: Edit | null,
): ReorderState<T> {
  return withStreams(state, sid, replaced(streams, stream), edit);
}

/** A sid's streams with `stream` in place of the one of its recorder uid. */
function replaced<T>(streams: readonly StreamOrder<T>[], stream: StreamOrder<T>): StreamOrder<T>[] {
  const copy = streams.slice();
  for (let index = 0; index < copy.length; index += 1)
    if ((copy[index] as StreamOrder<T>).uid === stream.uid) copy[index] = stream;
  return copy;
}

function withStreams<T>(
  state: ReorderState<T>,
  sid: string,
  streams: readonly StreamOrder<T>[],
  edit: Edit | null,
): ReorderState<T> {
  let holds = false;
  for (const stream of streams) if (stream.held.length > 0) holds = true;
  const holding = holds ? state.holding.set(sid, true, edit) : state.holding.delete(sid, edit);
  const sids = state.sids.set(sid, streams, edit);
  // Under a fold's token both maps may have changed in place: the state is then the same value.
  if (sids === state.sids && holding === state.holding) return state;
  return { sids, holding, nextDue: state.nextDue };
}

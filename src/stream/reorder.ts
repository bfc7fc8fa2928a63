// Rule 9, pure: deliver each sid's notifications in `sequence` order. One that arrives before
// its predecessor is held for up to `holdMs` of observed time, then released in order with the
// gap noted; one that arrives after its successors were delivered is late: delivered, marked.
import { type Edit, PersistentMap } from './persistent-map.js';

export interface ReorderOptions {
  /** How long a notification waits for a missing predecessor (observed time). Default 2 s. */
  readonly holdMs: number;
}

/** Reorder's defaults: a 2 s hold, as lifecycle-rules.md rule 9 says. */
export const DEFAULT_REORDER_OPTIONS: ReorderOptions = { holdMs: 2000 };

interface Held<T> {
  readonly sequence: number;
  readonly item: T;
  readonly heldAt: number;
}

/** Per sid: the next sequence expected (null before the first), and what waits for it. */
interface SidOrder<T> {
  readonly next: number | null;
  readonly held: readonly Held<T>[];
}

/** Reorder's memory. Immutable: every operation returns a new state. */
export interface ReorderState<T> {
  readonly sids: PersistentMap<SidOrder<T>>;
  /** The sids holding something: time only needs to look at these. */
  readonly holding: PersistentMap<true>;
  /** The earliest time a hold runs out, or null: `advance` before it is free. */
  readonly nextDue: number | null;
  readonly options: ReorderOptions;
}

/** An item let through, in order, with what happened on the way. */
export interface Released<T> {
  readonly sid: string;
  readonly sequence: number;
  readonly item: T;
  /** Sequences skipped just before this one (their hold ran out), or null. */
  readonly gap: { readonly from: number; readonly to: number } | null;
  /** It came after later sequences had been delivered. */
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

/**
 * An empty reorder memory, for items of type T.
 * @example let order = createReorder<Notification>({ holdMs: 1500 });
 */
export function createReorder<T>(options: Partial<ReorderOptions> = {}): ReorderState<T> {
  return {
    sids: PersistentMap.empty(),
    holding: PersistentMap.empty(),
    nextDue: null,
    options: { ...DEFAULT_REORDER_OPTIONS, ...options },
  };
}

/**
 * Offers one notification of `sid` observed at `at`; returns what can be delivered now, in order.
 * A sid's first notification with sequence 0 goes straight through; with a higher sequence it
 * waits for the ones before it.
 * @example
 * let r = offer(createReorder<string>(), 'S1', 1, 'b', 1000); // held: 0 is missing
 * r = offer(r.state, 'S1', 0, 'a', 1500); // released: a then b
 */
export function offer<T>(
  state: ReorderState<T>,
  sid: string,
  sequence: number,
  item: T,
  at: number,
  edit: Edit | null = null,
): ReorderResult<T> {
  const order = state.sids.get(sid) ?? { next: null, held: [] };
  const next = order.next ?? 0;
  if (sequence < next) {
    const released = [{ sid, sequence, item, gap: null, late: true, heldFor: 0 }];
    return { state, released, held: false };
  }
  if (sequence > next) {
    const held = insertHeld(order.held, { sequence, item, heldAt: at });
    const due = at + state.options.holdMs;
    const nextDue = state.nextDue === null ? due : Math.min(state.nextDue, due);
    const next = { ...withOrder(state, sid, { next: order.next, held }, edit), nextDue };
    return { state: next, released: [], held: true };
  }
  const released: Released<T>[] = [{ sid, sequence, item, gap: null, late: false, heldFor: 0 }];
  // In order with nothing held: the common case, so it skips the drain.
  if (order.held.length === 0) {
    return {
      state: withOrder(state, sid, { next: sequence + 1, held: order.held }, edit),
      released,
      held: false,
    };
  }
  const drained = drain(sid, { next: sequence + 1, held: order.held }, at, released, state.options);
  return { state: withOrder(state, sid, drained, edit), released, held: false };
}

/**
 * Lets time pass to `at`: every sid whose oldest held item has waited `holdMs` releases, in
 * sequence order, everything up to that item, noting the gaps, then whatever follows in order.
 * @example const { state, released } = advance(order, Date.now());
 */
export function advance<T>(
  state: ReorderState<T>,
  at: number,
  edit: Edit | null = null,
): ReorderResult<T> {
  if (state.nextDue === null || state.nextDue > at) return { state, released: [], held: false };
  const released: Released<T>[] = [];
  let next = state;
  // A list first: with an edit token, `holding` changes in place as sids are drained.
  for (const sid of [...state.holding.keys()]) {
    const order = state.sids.get(sid) as SidOrder<T>;
    if (!order.held.some((h) => h.heldAt + state.options.holdMs <= at)) continue;
    next = withOrder(next, sid, drain(sid, order, at, released, state.options), edit);
  }
  return { state: withDue(next), released, held: false };
}

/**
 * The earliest time at which `advance` would release something, or null.
 * @example nextRelease(order) // 1700000002000
 */
export function nextRelease<T>(state: ReorderState<T>): number | null {
  return state.nextDue;
}

/**
 * Forgets a sid (it is finished); anything still held for it is returned, in order.
 * @example const { released } = forgetSid(order, 'S1', Date.now());
 */
export function forgetSid<T>(
  state: ReorderState<T>,
  sid: string,
  at: number,
  edit: Edit | null = null,
): ReorderResult<T> {
  const order = state.sids.get(sid);
  if (order === undefined) return { state, released: [], held: false };
  const released: Released<T>[] = [];
  drain(sid, order, Number.POSITIVE_INFINITY, released, state.options, at);
  const forgotten = {
    ...state,
    sids: state.sids.delete(sid, edit),
    holding: state.holding.delete(sid, edit),
  };
  return { state: order.held.length > 0 ? withDue(forgotten) : forgotten, released, held: false };
}

/**
 * How many notifications are held, over all sids.
 * @example heldCount(order) // 3
 */
export function heldCount<T>(state: ReorderState<T>): number {
  let count = 0;
  for (const sid of state.holding.keys()) count += state.sids.get(sid)?.held.length ?? 0;
  return count;
}

/**
 * Releases from `order.held`, in sequence order: consecutive ones, and any held item that has
 * waited long enough together with everything held before it (noting the gaps).
 */
function drain<T>(
  sid: string,
  order: SidOrder<T>,
  at: number,
  released: Released<T>[],
  options: ReorderOptions,
  observedAt: number = at,
): SidOrder<T> {
  const held = order.held;
  let next = order.next ?? 0;
  // The last held item whose hold ran out: everything up to it goes, gaps or not.
  let lastExpired = -1;
  held.forEach((h, index) => {
    if (h.heldAt + options.holdMs <= at) lastExpired = index;
  });
  let index = 0;
  while (index < held.length) {
    const h = held[index] as Held<T>;
    if (h.sequence > next && index > lastExpired) break;
    const gap = h.sequence > next ? { from: next, to: h.sequence - 1 } : null;
    released.push({
      sid,
      sequence: h.sequence,
      item: h.item,
      gap,
      late: h.sequence < next,
      heldFor: Math.max(0, observedAt - h.heldAt),
    });
    next = Math.max(next, h.sequence + 1);
    index += 1;
  }
  if (index === 0 && order.next !== null) return order;
  return { next, held: held.slice(index) };
}

function insertHeld<T>(held: readonly Held<T>[], item: Held<T>): readonly Held<T>[] {
  const index = held.findIndex((h) => h.sequence > item.sequence);
  return index < 0 ? [...held, item] : [...held.slice(0, index), item, ...held.slice(index)];
}

/** Recomputes `nextDue` after holds were released (a scan, only when something was due). */
function withDue<T>(state: ReorderState<T>): ReorderState<T> {
  let nextDue: number | null = null;
  for (const sid of state.holding.keys()) {
    for (const { heldAt } of state.sids.get(sid)?.held ?? []) {
      const due = heldAt + state.options.holdMs;
      if (nextDue === null || due < nextDue) nextDue = due;
    }
  }
  return { ...state, nextDue };
}

function withOrder<T>(
  state: ReorderState<T>,
  sid: string,
  order: SidOrder<T>,
  edit: Edit | null,
): ReorderState<T> {
  const holding =
    order.held.length > 0 ? state.holding.set(sid, true, edit) : state.holding.delete(sid, edit);
  return { ...state, sids: state.sids.set(sid, order, edit), holding };
}

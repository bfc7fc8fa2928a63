import {
  createRecording,
  type LifecycleState,
  lifecycleState,
  nextWake,
  type RecordingSnapshot,
} from '../../machines/index.js';
import type { Notification } from '../signals/index.js';
import {
  EMPTY_TIME_QUEUE,
  PersistentMap,
  peekTime,
  type TimeQueue,
} from '../stream/collections/index.js';
import {
  createDedupe,
  createReorder,
  type DedupeState,
  type ReorderState,
} from '../stream/index.js';
import { DEFAULT_CORE_OPTIONS, type ResolvedCoreOptions } from './options.js';

/**
 * The version of the core state's shape (6: the options in force are state; a start attempt is
 * acquiring / sent / settling; earlier sessions are kept for rule 13; `monitoring.answered`,
 * `outrankedQuit`, a query's `sentAt` in `lastQuery`); snapshots of another version are not read.
 */
export const CORE_STATE_VERSION = 6;

/**
 * One supervised recording: its machine snapshot and its wake queue entry. Its earliest
 * deadline is not kept: `wakeOf` reads it from the snapshot when needed.
 */
export interface RecordingEntry {
  readonly snapshot: RecordingSnapshot;
  /**
   * The time of its one live entry in the wake queue (at or before its wake), or null: any other
   * entry of the recording in the queue is a replaced one, dropped when it surfaces.
   */
  readonly queued: number | null;
}

/** A notification waiting in the core (reorder hold, or an unknown sid), with its input position. */
export interface Parked {
  readonly position: number;
  /** When it was observed. */
  readonly at: number;
  readonly notification: Notification;
}

/**
 * Everything the core knows, as an immutable value: recordings, which sid belongs to which,
 * dedupe and reorder memory, and notifications waiting for their sid.
 */
export interface CoreState {
  /** Inputs consumed so far: the position of the last one. */
  readonly position: number;
  /**
   * The options in force: those of the latest `options` record, else those the core was created
   * with (rule 12). Every step reads them, unless a host overrides them (see `coreFor`).
   */
  readonly options: ResolvedCoreOptions;
  /**
   * The recordings whose start may have made a session nobody has named yet (`sent`, settling,
   * or a stop waiting for it), by `cname` and uid (`startKey`): rule 11 adopts a sid these name;
   * also the starts they gave up (`startKeysOf`), whose sid rule 13 stops. Derived from the
   * recordings (not serialized).
   */
  readonly pendingStarts: PersistentMap<string>;
  /** The latest observed time seen (ms). */
  readonly now: number;
  readonly recordings: PersistentMap<RecordingEntry>;
  /** Every sid adopted by a recording, current or previous, and its recording. */
  readonly sidOwners: PersistentMap<string>;
  readonly dedupe: DedupeState;
  readonly reorder: ReorderState<Parked>;
  /** Notifications whose sid no `started` has named yet, by sid. */
  readonly unknownSids: PersistentMap<readonly Parked[]>;
  /**
   * When each recording next needs a tick, by recording id (derived from the recordings; not
   * serialized). A recording has at most one live entry (`RecordingEntry.queued`).
   */
  readonly wakes: TimeQueue;
  /**
   * The finished (final) recordings still held, by when they finished: the earliest leave first,
   * after `retainFinishedMs` or past `maxFinishedRecordings` (see `ResolvedCoreOptions`).
   */
  readonly finished: TimeQueue;
}

/**
 * An empty core, with the options in force until an `options` record changes them (default
 * docs/lifecycle.md's).
 * @example let state = createCore();
 */
export function createCore(options: ResolvedCoreOptions = DEFAULT_CORE_OPTIONS): CoreState {
  return {
    position: 0,
    options,
    pendingStarts: PersistentMap.empty(),
    now: 0,
    recordings: PersistentMap.empty(),
    sidOwners: PersistentMap.empty(),
    dedupe: createDedupe(),
    reorder: createReorder(),
    unknownSids: PersistentMap.empty(),
    wakes: EMPTY_TIME_QUEUE,
    finished: EMPTY_TIME_QUEUE,
  };
}

/** A recording the host just started. */
export function newRecording(recording: string): RecordingEntry {
  return { snapshot: createRecording({ recording }), queued: null };
}

/**
 * When a recording next needs a tick: its earliest deadline while active, else null.
 * @example wakeOf(state.recordings.get('r1')) // 1700000060000
 */
export function wakeOf(entry: RecordingEntry): number | null {
  const { snapshot } = entry;
  return snapshot.status === 'active' ? nextWake(snapshot.context.deadlines) : null;
}

/**
 * The top-level state of a recording, or undefined if the core does not know it.
 * @example recordingState(state, 'r1') // 'recording'
 */
export function recordingState(state: CoreState, recording: string): LifecycleState | undefined {
  const entry = state.recordings.get(recording);
  return entry === undefined ? undefined : lifecycleState(entry.snapshot);
}

/**
 * When the core next needs a `tick`: the earliest recording deadline, reorder hold or
 * unknown-sid hold (by the options in force, or `override`'s). The shell arms one timer for it.
 * @example const wake = nextWakeOf(state); if (wake !== null) setTimeout(tick, wake - Date.now());
 */
export function nextWakeOf(
  state: CoreState,
  override?: Pick<ResolvedCoreOptions, 'unknownSidHoldMs'>,
): number | null {
  const options = override ?? state.options;
  // The queue's head may be an entry a recording has moved past: early, never late, and the
  // tick it causes clears it.
  let earliest = state.reorder.nextDue;
  const wake = peekTime(state.wakes);
  if (wake !== null && (earliest === null || wake.at < earliest)) earliest = wake.at;
  // Asked after every input: an empty map is not walked (a walk allocates its iterators).
  if (state.unknownSids.size === 0) return earliest;
  for (const parked of state.unknownSids.values()) {
    const due = (parked[0]?.at ?? 0) + options.unknownSidHoldMs;
    if (earliest === null || due < earliest) earliest = due;
  }
  return earliest;
}

/** Every sid a recording has had, current first: the sids it owns in `CoreState.sidOwners`. */
export function sidsOf(snapshot: RecordingSnapshot): readonly string[] {
  const { session, previousSids } = snapshot.context;
  return session === null ? previousSids : [session.sid, ...previousSids];
}

/** The key of `pendingStarts`: a start's channel and uid. */
export function startKey(cname: string, uid: string): string {
  return `${cname}\u0000${uid}`;
}

/**
 * The channel and uid a recording's start may have made a session with, while nobody has named
 * it: in `sent`, settling, or a stop waiting for such a start; else null.
 * @example pendingStartOf(entry.snapshot) // 'room1\u00001001'
 */
export function pendingStartOf(snapshot: RecordingSnapshot): string | null {
  const { host, attempt } = snapshot.context;
  if (snapshot.status !== 'active' || host === null || attempt?.resourceId == null) return null;
  const { value } = snapshot;
  if (typeof value !== 'object') return null;
  const waiting =
    isStartOut((value as { starting?: unknown }).starting) ||
    isStartOut((value as { restarting?: unknown }).restarting) ||
    (value as { stopping?: unknown }).stopping === 'awaitingSession';
  return waiting ? startKey(host.cname, attempt.uid) : null;
}

/**
 * Every key `pendingStarts` holds for a recording: its start out (`pendingStartOf`), then the
 * starts it gave up before Agora named their session (rule 13: a sid naming one is an orphan).
 * @example startKeysOf(entry.snapshot) // ['room1\u00001002', 'room1\u00001001']
 */
export function startKeysOf(snapshot: RecordingSnapshot): readonly string[] {
  const pending = pendingStartOf(snapshot);
  const { orphans } = snapshot.context;
  if (snapshot.status !== 'active' || !orphans.some((one) => one.sid === null)) {
    return pending === null ? NO_KEYS : [pending];
  }
  const keys = pending === null ? [] : [pending];
  for (const one of orphans) if (one.sid === null) keys.push(startKey(one.cname, one.uid));
  return keys;
}

const NO_KEYS: readonly string[] = Object.freeze([]);

function isStartOut(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const attempt = (value as { attempt?: unknown }).attempt;
  return attempt === 'sent' || attempt === 'settling';
}

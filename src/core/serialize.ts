// The core state as plain JSON and back: for snapshots in the log and for determinism checks.
// Maps are written as entries sorted by key, so equal states serialize to equal text.
import {
  type PersistedRecording,
  persistRecording,
  restoreRecording,
} from '../../machines/index.js';
import { RecwatchError } from '../errors/index.js';
import {
  type KeySet,
  keySetOf,
  keysOf,
  timeQueueEntries,
  timeQueueOf,
} from '../stream/collections/index.js';
import { PersistentMap, type SidMemory, type StreamOrder } from '../stream/index.js';
import { type ResolvedCoreOptions, readRecordedOptions } from './options.js';
import { coreStateJsonSchema } from './snapshot-schema.js';
import {
  CORE_STATE_VERSION,
  type CoreState,
  type Parked,
  type RecordingEntry,
  startKeysOf,
  wakeOf,
} from './state.js';

const sortedKeys = (set: KeySet) => [...keysOf(set)].sort();

/** One sid's dedupe memory as JSON: each window's keys, sorted. */
export interface SidMemoryJson {
  readonly keys: string[];
  readonly previousKeys: string[];
  readonly since: number;
  readonly maxSequence: number;
  readonly finishedAt: number | null;
}

/** One sid's dedupe memory as `serializeCore` writes it. */
export const sidMemoryToJson = (m: SidMemory): SidMemoryJson => ({
  keys: sortedKeys(m.keys),
  previousKeys: sortedKeys(m.previousKeys),
  since: m.since,
  maxSequence: m.maxSequence,
  finishedAt: m.finishedAt,
});

const sidMemoryFromJson = (m: SidMemoryJson): SidMemory => ({
  keys: keySetOf(m.keys),
  previousKeys: keySetOf(m.previousKeys),
  since: m.since,
  maxSequence: m.maxSequence,
  finishedAt: m.finishedAt,
});

/** The JSON shape of a core state (`CORE_STATE_VERSION`). */
export interface CoreStateJson {
  readonly version: typeof CORE_STATE_VERSION;
  readonly position: number;
  readonly now: number;
  /**
   * Which override of the options the state was built with (see `optionsFingerprint`), or
   * `'log'`: each step read the options in force (rule 12).
   */
  readonly optionsFingerprint: string;
  /** The options in force (`CoreState.options`). */
  readonly options: ResolvedCoreOptions;
  readonly recordings: readonly [string, PersistedRecording][];
  readonly sidOwners: readonly [string, string][];
  readonly dedupe: {
    readonly sids: readonly [string, SidMemoryJson][];
    readonly keyCount: number;
    /** Finished sids and when each finished, earliest first (ties by sid). */
    readonly finished: readonly { readonly sid: string; readonly at: number }[];
  };
  readonly reorder: {
    readonly sids: readonly [string, readonly StreamOrder<Parked>[]][];
    readonly nextDue: number | null;
  };
  readonly unknownSids: readonly [string, readonly Parked[]][];
  /** The finished recordings held, and when each finished, earliest first (ties by id). */
  readonly finished: readonly [string, number][];
}

function sortedEntries<V, J>(map: PersistentMap<V>, toJson: (value: V) => J): [string, J][] {
  return [...map.keys()].sort().map((key) => [key, toJson(map.get(key) as V)]);
}

/**
 * A fingerprint of the options a state depends on: a state built with other options is not the
 * state these would build (a poll interval, a hold time, a restart budget change deadlines and
 * decisions), so a snapshot records it and is only read back with the same.
 * @example optionsFingerprint(resolveCoreOptions()) // 'o1-5c9e0a1f'
 */
export function optionsFingerprint(options: ResolvedCoreOptions): string {
  // FNV-1a over a canonical JSON (keys sorted): short, stable, no dependency.
  let hash = 0x811c9dc5;
  for (const char of canonicalJson(options)) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `o1-${hash.toString(16).padStart(8, '0')}`;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    const fields = keys.map(
      (key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`,
    );
    return `{${fields.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What a state built without an override is marked with: its steps read the options in force. */
export const FROM_THE_LOG = 'log';

/**
 * The state as JSON-ready data, with its options in force, marked with the fingerprint of the
 * override it was built with, if any.
 * @example JSON.stringify(serializeCore(state))
 */
export function serializeCore(state: CoreState, override?: ResolvedCoreOptions): CoreStateJson {
  return {
    version: CORE_STATE_VERSION,
    position: state.position,
    now: state.now,
    optionsFingerprint: override === undefined ? FROM_THE_LOG : optionsFingerprint(override),
    options: state.options,
    recordings: sortedEntries(state.recordings, (entry) => persistRecording(entry.snapshot)),
    sidOwners: sortedEntries(state.sidOwners, (recording) => recording),
    dedupe: {
      sids: sortedEntries(state.dedupe.sids, sidMemoryToJson),
      keyCount: state.dedupe.keyCount,
      finished: timeQueueEntries(state.dedupe.finished).map(([sid, at]) => ({ sid, at })),
    },
    reorder: {
      sids: sortedEntries(state.reorder.sids, (streams) => streams),
      nextDue: state.reorder.nextDue,
    },
    unknownSids: sortedEntries(state.unknownSids, (parked) => parked),
    finished: timeQueueEntries(state.finished),
  };
}

/** A restored recording, its live queue entry at its wake (the queue is rebuilt from them). */
function restoredEntry(snapshot: RecordingEntry['snapshot']): RecordingEntry {
  return { snapshot, queued: wakeOf({ snapshot, queued: null }) };
}

/** Why a saved state was refused. */
export type CoreStateProblem = 'version' | 'malformed' | 'options';

/**
 * Thrown for a serialized state that is not of this version, not well formed, or built with
 * another override of the options than the one given (`problem` says which); the log can
 * rebuild it by replay.
 */
export class CoreStateError extends RecwatchError {
  override readonly name = 'CoreStateError';
  readonly code = 'CORE_STATE';
  constructor(
    message: string,
    readonly problem: CoreStateProblem = 'malformed',
  ) {
    super(message);
  }
}

/**
 * Rebuilds a state from `serializeCore` output, checked first (its shape, its version, and that
 * it was built with the same override of the options, or none); stepping it the same way gives
 * exactly what the original gives. Anything else is a CoreStateError, never a state that
 * silently differs.
 * @example const state = deserializeCore(JSON.parse(text));
 */
export function deserializeCore(json: unknown, override?: ResolvedCoreOptions): CoreState {
  const version = (json as { version?: unknown } | null)?.version;
  if (json === null || typeof json !== 'object' || version !== CORE_STATE_VERSION) {
    throw new CoreStateError(`not a core state of version ${CORE_STATE_VERSION}`, 'version');
  }
  const checked = coreStateJsonSchema.safeParse(json);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const where = issue?.path.map(String).join('.') || '(root)';
    throw new CoreStateError(`malformed core state: ${where}: ${issue?.message}`);
  }
  const data = checked.data as unknown as CoreStateJson;
  const expected = override === undefined ? FROM_THE_LOG : optionsFingerprint(override);
  if (data.optionsFingerprint !== expected) {
    throw new CoreStateError(
      'the core state was built with another override of the options than the one given: replay the log',
      'options',
    );
  }
  const options = readRecordedOptions(data.options);
  if (!options.ok) throw new CoreStateError(`malformed core state: ${options.reason}`);
  try {
    const recordings = PersistentMap.from(
      data.recordings.map(([id, persisted]): [string, RecordingEntry] => [
        id,
        restoredEntry(restoreRecording(persisted)),
      ]),
    );
    const pendingStarts: [string, string][] = [];
    for (const [id, entry] of recordings.entries()) {
      for (const key of startKeysOf(entry.snapshot)) pendingStarts.push([key, id]);
    }
    return {
      position: data.position,
      options: options.value,
      pendingStarts: PersistentMap.from(pendingStarts),
      now: data.now,
      recordings,
      sidOwners: PersistentMap.from(data.sidOwners),
      dedupe: {
        sids: PersistentMap.from(
          data.dedupe.sids.map(([sid, memory]) => [sid, sidMemoryFromJson(memory)] as const),
        ),
        keyCount: data.dedupe.keyCount,
        finished: timeQueueOf(data.dedupe.finished.map(({ sid, at }) => [sid, at] as const)),
      },
      reorder: {
        sids: PersistentMap.from(data.reorder.sids),
        holding: PersistentMap.from(
          data.reorder.sids
            .filter(([, streams]) => streams.some((s) => s.held.length > 0))
            .map(([sid]) => [sid, true as const]),
        ),
        nextDue: data.reorder.nextDue,
      },
      unknownSids: PersistentMap.from(data.unknownSids),
      wakes: timeQueueOf(
        [...recordings.entries()].map(([id, entry]) => [id, entry.queued] as const),
      ),
      finished: timeQueueOf(data.finished),
    };
  } catch (error) {
    throw new CoreStateError(
      `malformed core state: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

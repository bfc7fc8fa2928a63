// The core state as plain JSON and back: for snapshots in the log and for determinism checks.
// Maps are written as entries sorted by key, so equal states serialize to equal text.
import {
  type PersistedRecording,
  persistRecording,
  restoreRecording,
} from '../../machines/index.js';
import { RecwatchError } from '../errors/index.js';
import { type DedupeState, PersistentMap, type StreamOrder } from '../stream/index.js';
import { type KeySet, keySetOf, keysOf } from '../stream/key-set.js';
import type { ResolvedCoreOptions } from './options.js';
import {
  CORE_STATE_VERSION,
  type CoreState,
  entryFor,
  type Parked,
  type RecordingEntry,
} from './state.js';
import { wakeQueueOf } from './wake-queue.js';

/** One dedupe window's keys, sorted. */
interface GenerationJson {
  readonly sequences: string[];
  readonly notices: string[];
}

const generationToJson = (g: { sequences: KeySet; notices: KeySet }): GenerationJson => ({
  sequences: [...keysOf(g.sequences)].sort(),
  notices: [...keysOf(g.notices)].sort(),
});

const generationFromJson = (g: GenerationJson) => ({
  sequences: keySetOf(g.sequences),
  notices: keySetOf(g.notices),
});

/** The JSON shape of a core state (version 1). */
export interface CoreStateJson {
  readonly version: typeof CORE_STATE_VERSION;
  readonly position: number;
  readonly now: number;
  readonly recordings: readonly [string, PersistedRecording][];
  readonly sidOwners: readonly [string, string][];
  readonly dedupe: {
    readonly sids: readonly [
      string,
      {
        current: GenerationJson;
        previous: GenerationJson;
        since: number;
        maxSequence: number;
        lastAt: number;
        finishedAt: number | null;
      },
    ][];
    readonly keyCount: number;
    readonly finished: DedupeState['finished'];
  };
  readonly reorder: {
    readonly sids: readonly [string, readonly StreamOrder<Parked>[]][];
    readonly nextDue: number | null;
  };
  readonly unknownSids: readonly [string, readonly Parked[]][];
  readonly options: ResolvedCoreOptions;
}

function sortedEntries<V, J>(map: PersistentMap<V>, toJson: (value: V) => J): [string, J][] {
  return [...map.keys()].sort().map((key) => [key, toJson(map.get(key) as V)]);
}

/**
 * The state as JSON-ready data.
 * @example JSON.stringify(serializeCore(state))
 */
export function serializeCore(state: CoreState): CoreStateJson {
  return {
    version: CORE_STATE_VERSION,
    position: state.position,
    now: state.now,
    recordings: sortedEntries(state.recordings, (entry) => persistRecording(entry.snapshot)),
    sidOwners: sortedEntries(state.sidOwners, (recording) => recording),
    dedupe: {
      sids: sortedEntries(state.dedupe.sids, (memory) => ({
        current: generationToJson(memory.current),
        previous: generationToJson(memory.previous),
        since: memory.since,
        maxSequence: memory.maxSequence,
        lastAt: memory.lastAt,
        finishedAt: memory.finishedAt,
      })),
      keyCount: state.dedupe.keyCount,
      finished: state.dedupe.finished,
    },
    reorder: {
      sids: sortedEntries(state.reorder.sids, (streams) => streams),
      nextDue: state.reorder.nextDue,
    },
    unknownSids: sortedEntries(state.unknownSids, (parked) => parked),
    options: state.options,
  };
}

/** Thrown for a serialized state that is not of this version or not well formed. */
export class CoreStateError extends RecwatchError {
  override readonly name = 'CoreStateError';
  readonly code = 'CORE_STATE';
}

/**
 * Rebuilds a state from `serializeCore` output; stepping it gives exactly what the original gives.
 * @example const state = deserializeCore(JSON.parse(text));
 */
export function deserializeCore(json: unknown): CoreState {
  const data = json as CoreStateJson;
  if (data === null || typeof data !== 'object' || data.version !== CORE_STATE_VERSION) {
    throw new CoreStateError(`not a core state of version ${CORE_STATE_VERSION}`);
  }
  try {
    const recordings = PersistentMap.from(
      data.recordings.map(([id, persisted]): [string, RecordingEntry] => [
        id,
        entryFor(restoreRecording(persisted)),
      ]),
    );
    return {
      position: data.position,
      now: data.now,
      recordings,
      sidOwners: PersistentMap.from(data.sidOwners),
      dedupe: {
        sids: PersistentMap.from(
          data.dedupe.sids.map(([sid, memory]) => [
            sid,
            {
              current: generationFromJson(memory.current),
              previous: generationFromJson(memory.previous),
              since: memory.since,
              maxSequence: memory.maxSequence,
              lastAt: memory.lastAt,
              finishedAt: memory.finishedAt,
            },
          ]),
        ),
        keyCount: data.dedupe.keyCount,
        finished: data.dedupe.finished,
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
      wakes: wakeQueueOf([...recordings.entries()].map(([id, entry]) => [id, entry.wake] as const)),
      options: data.options,
    };
  } catch (error) {
    throw new CoreStateError(
      `malformed core state: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

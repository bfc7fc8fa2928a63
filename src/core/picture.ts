import {
  type LastQuery,
  type LifecycleState,
  lifecycleState,
  type QuitReason,
  type RecordingSnapshot,
  recorderUid,
} from '../../machines/index.js';
import type { CoreState } from './state.js';

export type { LastQuery } from '../../machines/index.js';

/** How many of a recording's newest file names the picture shows. */
export const PICTURE_FILES = 20;

/** What a host needs to know of one recording (docs/lifecycle.md, plus a dashboard's needs). */
export interface RecordingPicture {
  readonly state: LifecycleState;
  readonly sid: string | null;
  readonly uid: string | null;
  readonly haAttempts: number;
  readonly filePrefix: string;
  readonly restarts: number;
  readonly quitReason: QuitReason | null;
  /** Whether the latest answers leave the state in doubt (429, 50x, 206, no response: rule 5). */
  readonly uncertain: boolean;
  /** Since when it has been in doubt (ms), or null. */
  readonly uncertainSince: number | null;
  readonly resourceId: string | null;
  /** The newest file names reported, oldest first, at most `PICTURE_FILES`. */
  readonly files: readonly string[];
  readonly lastQuery: LastQuery | null;
  /** When the recording last changed (observed time, ms), or null before its first input. */
  readonly updatedAt: number | null;
}

/** The final picture of a replay, exactly as `recwatch replay --json` prints it. */
export interface Picture {
  readonly recordings: Readonly<Record<string, RecordingPicture>>;
}

/**
 * The picture of every recording the core knows, sorted by recording id. `forgotten`: finished
 * recordings that left the core's memory during a fold (`Replay.forgotten`), shown with their
 * last snapshot unless the core knows the id again.
 * @example picture(replay(inputs).state) // { recordings: { r1: { state: 'recording', sid: 'S1', ... } } }
 */
export function picture(
  state: CoreState,
  forgotten: ReadonlyMap<string, RecordingSnapshot> = NONE_FORGOTTEN,
): Picture {
  const ids =
    forgotten.size === 0
      ? [...state.recordings.keys()].sort()
      : [...new Set([...state.recordings.keys(), ...forgotten.keys()])].sort();
  const recordings: Record<string, RecordingPicture> = {};
  for (const id of ids) {
    const left = forgotten.get(id);
    const one =
      recordingPicture(state, id) ?? (left === undefined ? undefined : snapshotPicture(left));
    // Defined, not assigned: a recording named '__proto__' is a recording like any other.
    if (one !== undefined) {
      Object.defineProperty(recordings, id, { value: one, enumerable: true, writable: true });
    }
  }
  return { recordings };
}

const NONE_FORGOTTEN: ReadonlyMap<string, RecordingSnapshot> = new Map();

/**
 * The picture of one recording, or undefined when the core does not know it.
 * @example recordingPicture(state, 'r1')?.state // 'recording'
 */
export function recordingPicture(state: CoreState, id: string): RecordingPicture | undefined {
  const entry = state.recordings.get(id);
  return entry === undefined ? undefined : snapshotPicture(entry.snapshot);
}

/**
 * The picture of one recording's machine snapshot.
 * @example snapshotPicture(entry.snapshot).haAttempts // 1
 */
export function snapshotPicture(snapshot: RecordingSnapshot): RecordingPicture {
  const c = snapshot.context;
  const { session, failover, monitoring } = c;
  return {
    state: lifecycleState(snapshot),
    sid: session?.sid ?? null,
    uid: recorderUid(c),
    haAttempts: failover.haAttempts,
    filePrefix: failover.filePrefix,
    restarts: c.restarts,
    quitReason: c.quitReason,
    uncertain: monitoring.uncertainSince !== null,
    uncertainSince: monitoring.uncertainSince,
    resourceId: session?.resourceId ?? null,
    files: c.files.slice(-PICTURE_FILES),
    lastQuery: c.lastQuery,
    updatedAt: c.updatedAt,
  };
}

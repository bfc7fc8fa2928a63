import { type LifecycleState, lifecycleState, type QuitReason } from '../../machines/index.js';
import type { CoreState } from './state.js';

/** What a host needs to know of one recording (lifecycle-rules.md §2). */
export interface RecordingPicture {
  readonly state: LifecycleState;
  readonly sid: string | null;
  readonly uid: string | null;
  readonly haAttempts: number;
  readonly filePrefix: string;
  readonly restarts: number;
  readonly quitReason: QuitReason | null;
}

/** The final picture of a replay, exactly as `recwatch replay --json` prints it. */
export interface Picture {
  readonly recordings: Readonly<Record<string, RecordingPicture>>;
}

/**
 * The picture of every recording the core knows, sorted by recording id.
 * @example picture(replay(inputs).state) // { recordings: { r1: { state: 'recording', sid: 'S1', ... } } }
 */
export function picture(state: CoreState): Picture {
  const ids = [...state.recordings.keys()].sort();
  const recordings: Record<string, RecordingPicture> = {};
  for (const id of ids) {
    const entry = state.recordings.get(id);
    if (entry === undefined) continue;
    const c = entry.snapshot.context;
    recordings[id] = {
      state: lifecycleState(entry.snapshot),
      sid: c.sid,
      uid: c.uid,
      haAttempts: c.haAttempts,
      filePrefix: c.filePrefix,
      restarts: c.restarts,
      quitReason: c.quitReason,
    };
  }
  return { recordings };
}

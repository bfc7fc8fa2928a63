import { lifecycleState } from '../../machines/index.js';
import type { CoreState, RecordingPicture } from '../core/index.js';

/** What a host sees of one recording: the picture of lifecycle-rules.md §2, plus its id and `updatedAt`. */
export interface SupervisedRecording extends RecordingPicture {
  readonly recording: string;
  /** When the recording's state last changed (clock ms), null before its first input. */
  readonly updatedAt: number | null;
}

/** The picture of one recording, or undefined when the core does not know it. */
export function supervisedPicture(
  state: CoreState,
  recording: string,
): SupervisedRecording | undefined {
  const entry = state.recordings.get(recording);
  if (entry === undefined) return undefined;
  const c = entry.snapshot.context;
  return {
    recording,
    state: lifecycleState(entry.snapshot),
    sid: c.sid,
    uid: c.uid,
    haAttempts: c.haAttempts,
    filePrefix: c.filePrefix,
    restarts: c.restarts,
    quitReason: c.quitReason,
    updatedAt: c.updatedAt,
  };
}

import { type CoreState, type RecordingPicture, recordingPicture } from '../core/index.js';

/** What a host sees of one recording: the core's picture (docs/lifecycle.md), with its id. */
export interface SupervisedRecording extends RecordingPicture {
  readonly recording: string;
}

/** The picture of one recording, or undefined when the core does not know it. */
export function supervisedPicture(
  state: CoreState,
  recording: string,
): SupervisedRecording | undefined {
  const picture = recordingPicture(state, recording);
  return picture === undefined ? undefined : { recording, ...picture };
}

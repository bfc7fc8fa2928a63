export { DEFAULT_RECORDING_OPTIONS } from './recording/options.js';
export { filePrefixFor, nextWake } from './recording/schedule.js';
export type {
  LifecycleState,
  PersistedRecording,
  RecordingSnapshot,
  RecordingStep,
} from './recording/step.js';
export {
  createRecording,
  lifecycleState,
  persistRecording,
  restoreRecording,
  stepRecording,
  toMachineSnapshot,
} from './recording/step.js';
export type {
  Backoff,
  CallResult,
  Deadlines,
  DomainEvent,
  Effect,
  Mode,
  QueryResult,
  QuitReason,
  RecordingContext,
  RecordingEvent,
  RecordingInput,
  RecordingNotification,
  RecordingOptions,
  RecordingOutput,
  StartAttempt,
} from './recording/types.js';
export type { RecordingMachine } from './recording.machine.js';
export { recordingMachine } from './recording.machine.js';

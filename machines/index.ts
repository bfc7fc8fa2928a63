export {
  MachineCompileError,
  MachineError,
  type MachineErrorCode,
  UnknownStateValueError,
} from './recording/errors.js';
export { queryShowsLife } from './recording/evidence.js';
export { failoversInFileNames } from './recording/failover-evidence.js';
export { MAX_FILES } from './recording/files.js';
export { LIFECYCLE_STATES, QUIT_REASONS } from './recording/names.js';
export { DEFAULT_RECORDING_OPTIONS, resolveOptions } from './recording/options.js';
export { deriveBackupUid, filePrefixFor, nextWake } from './recording/schedule.js';
export { currentSession, recorderUid } from './recording/session.js';
export type {
  Interpreter,
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
  useInterpreter,
} from './recording/step.js';
export type {
  Backoff,
  CallResult,
  Deadlines,
  DomainEvent,
  Effect,
  Failover,
  Host,
  LastQuery,
  Mode,
  Monitoring,
  Orphan,
  OutrankedQuit,
  QueryResult,
  QuitReason,
  RecordingContext,
  RecordingEvent,
  RecordingInput,
  RecordingNotification,
  RecordingOptions,
  RecordingOutput,
  Session,
  SessionCall,
  StartAttempt,
} from './recording/types.js';
export type { RecordingMachine } from './recording.machine.js';
export { createRecordingMachine, recordingMachine } from './recording.machine.js';

export type { BoundCore } from './core-for.js';
export { coreFor } from './core-for.js';
export type { CoreOutput, Decision, DecisionKind, Delivery } from './decisions.js';
export type { MachineStep, RecordingSteps } from './deliveries.js';
export { machineStepsOf } from './deliveries.js';
export { LiveCore } from './live-core.js';
export { toRecordingEvent, toRecordingNotification } from './machine-events.js';
export type {
  Coverage,
  CoverageGap,
  FleetManifest,
  GapCause,
  Interval,
  ManifestFile,
  ManifestMark,
  ManifestOptions,
  Playlist,
  RecordingManifest,
  SessionEnd,
  SessionManifest,
  StateChange,
} from './manifest/index.js';
export {
  differenceMs,
  fleetManifest,
  ManifestBook,
  manifestOf,
  mergeIntervals,
  totalMs,
} from './manifest/index.js';
export type { CoreOptions, ResolvedCoreOptions } from './options.js';
export {
  DEFAULT_CORE_OPTIONS,
  differingOptions,
  readRecordedOptions,
  resolveCoreOptions,
} from './options.js';
export type { LastQuery, Picture, RecordingPicture } from './picture.js';
export { PICTURE_FILES, picture, recordingPicture, snapshotPicture } from './picture.js';
export type { ReplayOptions } from './replay.js';
export { Replay, ReplayFinishedError, replay, replayUntrusted } from './replay.js';
export type { CoreStateJson, CoreStateProblem } from './serialize.js';
export {
  CoreStateError,
  deserializeCore,
  optionsFingerprint,
  serializeCore,
} from './serialize.js';
export type { CoreState, Parked, RecordingEntry } from './state.js';
export { CORE_STATE_VERSION, createCore, nextWakeOf, recordingState } from './state.js';
export type { CoreStep, ReceivedLine } from './step.js';
export { step, stepLine, stepRejected, stepSignal, stepUntrusted } from './step.js';
export type { TraceLine, TraceProblem } from './trace.js';
export { readTrace, readTraceLine, rejectLine, traceLineText, writeTrace } from './trace.js';

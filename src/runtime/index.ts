export { DeadlineTimer } from './deadline-timer.js';
export { JournalClosedError } from './errors.js';
export type {
  InspectionBridge,
  InspectionBridgeOptions,
  InspectionObserver,
} from './inspection-bridge.js';
export { createInspectionBridge } from './inspection-bridge.js';
export type { JournalOptions, JournalStep, Received } from './journal.js';
export { Journal } from './journal.js';
export { START_INTENTS_SLOT } from './legacy-intents.js';
export type { RebuildOptions, Rebuilt } from './rebuild.js';
export { rebuildFromLog, saveCoreSnapshot } from './rebuild.js';
export type { CallPriority, RestSchedulerOptions } from './scheduler.js';
export { RestScheduler, seededRandom } from './scheduler.js';
export { SnapshotPolicy } from './snapshot-policy.js';
export { createSupervisor } from './supervisor.js';
export type {
  DomainEventOf,
  SharedInstance,
  StartCommand,
  Supervisor,
  SupervisorUsage,
  UpdateCommand,
} from './supervisor-api.js';
export type {
  ClientRequestFactory,
  Logger,
  StartAttemptInfo,
  SupervisorOptions,
} from './supervisor-options.js';
export { SUPERVISOR_DEFAULTS } from './supervisor-options.js';
export type { SupervisedRecording } from './supervisor-picture.js';
export type { SupervisorTelemetry } from './telemetry.js';
export {
  callOf,
  instrumentSupervisor,
  recordingsByState,
  recwatchMeter,
} from './telemetry.js';

// recwatch/sim: a fake Agora cloud recording service for tests, demos and scoring.
export type { Clock, ClockTimer, ScaledClockOptions } from '../clock/index.js';
export { scaledClock, systemClock, VirtualClock } from '../clock/index.js';
export type { HostSpan } from './channel.js';
export type { DeliveryFault, DeliveryOutcome, DeliveryRecord } from './delivery.js';
export { SimulatorOptionsError } from './errors.js';
export type { ScheduledFault } from './fault-schedule.js';
export type { IdMode } from './ids.js';
export type {
  ApiFaults,
  DeliveryFaults,
  HostFaults,
  LifeFaults,
  Profile,
  ProfileName,
  ProfileOverrides,
} from './profiles.js';
export { PROFILE_NAMES, PROFILES, resolveProfile } from './profiles.js';
export type { RequestFault, RequestRecord } from './service.js';
export type {
  Simulator,
  SimulatorCredentials,
  SimulatorOptions,
  SimulatorSummary,
} from './simulator.js';
export { startSimulator } from './simulator.js';
export type {
  QuitCause,
  TrueFailover,
  TrueFault,
  TrueRecording,
  TrueStartRefusal,
  TrueState,
  TruthRecord,
} from './truth.js';
export { truthStateAt, truthToJsonl } from './truth.js';

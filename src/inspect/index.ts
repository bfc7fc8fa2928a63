export type { MachineStep, RecordingSteps } from '../core/index.js';
export { machineStepsOf } from '../core/index.js';
export type {
  InspectionBridge,
  InspectionBridgeOptions,
  InspectionObserver,
} from '../runtime/inspection-bridge.js';
export { createInspectionBridge } from '../runtime/inspection-bridge.js';
export type {
  InspectorFeed,
  JournalStep,
  LiveFeed,
  LiveFeedOptions,
} from './feed.js';
export { createLiveFeed, feedFromSteps, staticFeed } from './feed.js';
export type { InspectorStep, RecordedStep, RecordingView } from './inspector-step.js';
export { StepRecorder, viewOf } from './inspector-step.js';
export type { StatechartLayout } from './layout.js';
export { layoutStatechart } from './layout.js';
export type { InspectableSupervisor, LiveInspector, LiveInspectorOptions } from './live.js';
export { startLiveInspector } from './live.js';
export type { OfflineOptions, OfflineSource } from './offline.js';
export { inspectLines, logSource, openSource, traceSource } from './offline.js';
export type { WireDecided, WireHistory, WireHistoryPage, WireStep } from './page/wire.js';
export { readLogEntries } from './read-only-log.js';
export type { InspectorOptions, RunningInspector } from './server.js';
export { startInspector } from './server.js';
export type { Statechart, StatechartEdge, StatechartNode } from './statechart.js';
export { statechartOf } from './statechart.js';

export { AgoraAdviceBaseline } from './agora-advice.js';
export { Baseline, type Tracked } from './baseline.js';
export type {
  Belief,
  FleetObserver,
  ObserverContext,
  ObserverIo,
  PlannedRecording,
} from './observer.js';
export { QueryOnlyBaseline } from './query-only.js';
export { WebhookOnlyBaseline } from './webhook-only.js';

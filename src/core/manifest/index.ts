export { ManifestBook } from './book.js';
export { differenceMs, mergeIntervals, totalMs } from './intervals.js';
export type { ManifestOptions } from './manifest-of.js';
export { fleetManifest, manifestOf } from './manifest-of.js';
export type {
  Coverage,
  CoverageGap,
  FleetManifest,
  GapCause,
  Interval,
  ManifestFile,
  ManifestMark,
  Playlist,
  RecordingManifest,
  SessionEnd,
  SessionManifest,
  StateChange,
} from './types.js';

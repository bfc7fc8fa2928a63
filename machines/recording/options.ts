import type { RecordingOptions } from './types.js';

/** Defaults from docs/lifecycle.md and Agora's monitoring advice. */
export const DEFAULT_RECORDING_OPTIONS: RecordingOptions = {
  startTimeoutMs: 90_000,
  firstQueryDelayMs: 5_000,
  startingQueryIntervalMs: 10_000,
  pollIntervalMs: 60_000,
  // Rule 3: a lost server answers 404 for up to 90 s while it is moved; probing outlasts that.
  notFoundBackoffMs: [5_000, 10_000, 15_000, 30_000, 35_000],
  // Rule 1: Agora's own steps while starting.
  startingNotFoundBackoffMs: [5_000, 10_000, 15_000],
  serverErrorBackoffMs: [5_000, 10_000, 15_000, 30_000],
  transientBackoffMs: [3_000, 6_000],
  rateLimitBackoffMs: [10_000, 20_000, 40_000],
  failoverTimeoutMs: 90_000,
  failoverQueryIntervalMs: 15_000,
  maxHaAttempts: 3,
  restartBudget: 3,
  // Rule 7: an empty channel idles out again; a restart would defeat the host's maxRecordingHour.
  restartExcludedReasons: ['idle', 'maxRecordingHour'],
  restartDelaysMs: [0, 10_000, 30_000],
  startRetryServerErrorMs: [3_000, 6_000, 9_000],
  startRetryTransientMs: [3_000, 6_000],
  // Rule 5: the App ID's concurrent-task quota (400 code 406) frees up as recordings end.
  startRetryQuotaMs: [15_000, 30_000, 60_000, 120_000],
  stopCheckDelayMs: 25_000,
  settleStartMs: 30_000,
};

/**
 * The defaults with the host's choices on top.
 * @example resolveOptions({ pollIntervalMs: 90_000 }).startTimeoutMs // 90000
 */
export function resolveOptions(overrides: Partial<RecordingOptions> = {}): RecordingOptions {
  return { ...DEFAULT_RECORDING_OPTIONS, ...overrides };
}

import type { RecordingOptions } from './types.js';

/** Defaults from docs/lifecycle.md and Agora's monitoring advice. */
export const DEFAULT_RECORDING_OPTIONS: RecordingOptions = {
  startTimeoutMs: 90_000,
  firstQueryDelayMs: 5_000,
  startingQueryIntervalMs: 10_000,
  pollIntervalMs: 60_000,
  notFoundBackoffMs: [5_000, 10_000, 15_000],
  serverErrorBackoffMs: [5_000, 10_000, 15_000, 30_000],
  transientBackoffMs: [3_000, 6_000],
  rateLimitBackoffMs: [10_000, 20_000, 40_000],
  failoverTimeoutMs: 90_000,
  failoverQueryIntervalMs: 15_000,
  maxHaAttempts: 3,
  restartBudget: 3,
  restartExcludedReasons: ['idle'],
  restartDelaysMs: [0, 10_000, 30_000],
  startRetryServerErrorMs: [3_000, 6_000, 9_000],
  startRetryTransientMs: [3_000, 6_000],
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

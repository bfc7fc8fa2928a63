// The lifecycle's names as values, for schemas and metrics that must list every one: the types
// of types.ts and step.ts are read from these lists, so a new name cannot be left out of either.

/** Why a recording quit or failed (docs/lifecycle.md). */
export const QUIT_REASONS = [
  'notStarted',
  'exited',
  'abnormalExit',
  'uploaded',
  'idle',
  'webRecorderStopped',
  // 71 `code 1`: the web recording reached the `maxRecordingHour` the host set (rule 7).
  'maxRecordingHour',
  'lost',
  'failoverTimeout',
  'haExhausted',
  'configuration',
  'restartBudgetExhausted',
  'stopped',
] as const;

/** The top-level lifecycle states (sub-states such as probing report their parent). */
export const LIFECYCLE_STATES = [
  'idle',
  'starting',
  'recording',
  'failoverPending',
  'quit',
  'restarting',
  'stopping',
  'stopped',
  'failed',
] as const;

// Draws of when and how things break; each function draws a fixed number of values.
import type { Prng } from './prng.js';
import type { ApiFaults, LifeFaults } from './profiles.js';

/** A fault in a recording's life. */
export type LifeFaultKind =
  | 'processKill'
  | 'serverLoss'
  | 'abnormalExit'
  | 'webRecorderStop'
  | 'capabilityLimit'
  | 'maxRecordingHour';

const HOUR = 3_600_000;

// The wait until the next event of a Poisson process of `perHour` events an hour (∞ when 0).
function waitFor(prng: Prng, perHour: number): number {
  const wait = prng.exponential(HOUR);
  return perHour > 0 ? wait / perHour : Number.POSITIVE_INFINITY;
}

/** The wait until the next warning (event 2), ms, or undefined when none come. One draw. */
export function drawWarningWait(prng: Prng, faults: LifeFaults): number | undefined {
  const wait = waitFor(prng, faults.warningsPerHour);
  return Number.isFinite(wait) ? Math.max(1, Math.round(wait)) : undefined;
}

/** How long a failover takes, ms: a killed process moves within 30 s, a lost server in 60–90 s. */
export function drawFailoverWindow(prng: Prng, kind: 'processKill' | 'serverLoss'): number {
  return kind === 'processKill' ? prng.int(5_000, 30_000) : prng.int(60_000, 90_000);
}

/** A failure answer to a REST call, or undefined to answer normally. */
export interface ApiFault {
  readonly kind: 'serverError' | 'notCompleted';
  readonly httpStatus: number;
  readonly body: { code: number; reason: string };
}

const SERVER_ERRORS: readonly ApiFault[] = [
  { kind: 'serverError', httpStatus: 500, body: { code: 62, reason: 'request timeout' } },
  { kind: 'serverError', httpStatus: 504, body: { code: 62, reason: 'request timeout' } },
  { kind: 'serverError', httpStatus: 502, body: { code: 502, reason: 'bad gateway' } },
];

const NOT_COMPLETED: ApiFault = {
  kind: 'notCompleted',
  httpStatus: 206,
  body: { code: 65, reason: 'request not completed' },
};

/** Whether a start or query call fails, and how. Three draws, always. */
export function drawCallFault(
  prng: Prng,
  faults: ApiFaults,
  call: 'start' | 'query',
): ApiFault | undefined {
  const serverError = prng.chance(
    call === 'start' ? faults.startServerError : faults.queryServerError,
  );
  const which = prng.pick(SERVER_ERRORS);
  const notCompleted = prng.chance(
    call === 'start' ? faults.startNotCompleted : faults.queryNotCompleted,
  );
  if (serverError) return which;
  if (notCompleted) return NOT_COMPLETED;
  return undefined;
}

import type {
  Backoff,
  CallResult,
  Deadlines,
  Host,
  RecordingOptions,
  StartAttempt,
} from './types.js';

/** Nothing armed: one frozen object, shared. */
export const NO_DEADLINES: Deadlines = Object.freeze({
  startBy: null,
  failoverBy: null,
  queryAt: null,
  startAt: null,
  settleBy: null,
});

/**
 * The earliest armed deadline, or null when nothing is due ever.
 * @example nextWake({ ...NO_DEADLINES, startBy: 90_000, queryAt: 5_000 }) // 5000
 */
export function nextWake(deadlines: Deadlines): number | null {
  // Field by field, no list made: this runs on every step of every recording.
  let earliest = deadlines.startBy;
  earliest = earlier(earliest, deadlines.failoverBy);
  earliest = earlier(earliest, deadlines.queryAt);
  earliest = earlier(earliest, deadlines.startAt);
  return earlier(earliest, deadlines.settleBy);
}

function earlier(a: number | null, b: number | null): number | null {
  return b !== null && (a === null || b < a) ? b : a;
}

export function isDue(deadline: number | null, at: number): boolean {
  return deadline !== null && deadline <= at;
}

const BACKOFF_STEPS = {
  notFound: 'notFoundBackoffMs',
  startingNotFound: 'startingNotFoundBackoffMs',
  serverError: 'serverErrorBackoffMs',
  transient: 'transientBackoffMs',
  rateLimited: 'rateLimitBackoffMs',
} as const satisfies Record<Backoff['reason'], keyof RecordingOptions>;

/**
 * The back-off after one more failure of `reason`: continues a run of the same reason, else
 * starts one. The step stops one past the last delay (that last delay repeats), so the context
 * stays finite however long the failures last.
 */
export function nextBackoff(
  options: RecordingOptions,
  current: Backoff | null,
  reason: Backoff['reason'],
): Backoff {
  if (current?.reason !== reason) return { reason, step: 0 };
  const last = options[BACKOFF_STEPS[reason]].length;
  return { reason, step: Math.min(current.step + 1, last) };
}

/** The delay of a back-off step; past the last step, the last one repeats. */
export function backoffDelay(options: RecordingOptions, backoff: Backoff): number {
  const steps = options[BACKOFF_STEPS[backoff.reason]];
  return steps[Math.min(backoff.step, steps.length - 1)] ?? options.pollIntervalMs;
}

/**
 * Whether a run of 404s has used up its probing steps: `startingNotFoundBackoffMs` while starting
 * (rule 1), `notFoundBackoffMs` in a live recording (rule 3).
 */
export function probingStepsUsedUp(options: RecordingOptions, backoff: Backoff): boolean {
  if (backoff.reason !== 'notFound' && backoff.reason !== 'startingNotFound') return false;
  return backoff.step >= options[BACKOFF_STEPS[backoff.reason]].length;
}

/**
 * The playlist prefix after `haAttempts` failovers: '' then bak0_, bak1_, bak2_.
 * @example filePrefixFor(2) // 'bak1_'
 */
export function filePrefixFor(haAttempts: number): string {
  return haAttempts === 0 ? '' : `bak${haAttempts - 1}_`;
}

/** A backup uid when the host gave none: the next 32-bit uid (Agora uids are 1..2^32-1). */
export function deriveBackupUid(uid: string): string {
  const numeric = Number(uid);
  if (!/^\d+$/.test(uid) || !Number.isSafeInteger(numeric)) return `${uid}1`;
  return String(numeric >= 0xffff_ffff ? 1 : numeric + 1);
}

/** The uid for the next start attempt: the other one after a failed attempt (Agora's advice). */
export function uidForNextAttempt(host: Host, attempt: StartAttempt | null): string {
  if (attempt === null || !attempt.failed) return host.primaryUid;
  return attempt.uid === host.backupUid ? host.primaryUid : host.backupUid;
}

/** Delay before the n-th restart (1-based); past the list, the last one repeats. */
export function restartDelay(options: RecordingOptions, restart: number): number {
  const delays = options.restartDelaysMs;
  return delays[Math.min(restart - 1, delays.length - 1)] ?? 0;
}

/** Agora's `code` for the App ID's concurrent-task quota (400 `vendor_over_load`). */
export const CODE_VENDOR_OVER_LOAD = 406;

/**
 * Delay (ms) before retrying a failed acquire or start call, or null when its retries are used up
 * or the failure is not one to retry: 50x and no response (`startRetryServerErrorMs`), 206
 * `code 65` (`startRetryTransientMs`), 429 (`rateLimitBackoffMs`), and 400 `code 406`, the
 * concurrent-task quota, which reads as rate limited (`startRetryQuotaMs`, rule 5).
 * @example startRetryDelay(resolveOptions(), { kind: 'rateLimited', httpStatus: 400, code: 406 }, 0) // 15000
 */
export function startRetryDelay(
  options: RecordingOptions,
  outcome: Pick<CallResult, 'kind' | 'code'>,
  retries: number,
): number | null {
  const steps =
    outcome.kind === 'transient'
      ? options.startRetryTransientMs
      : outcome.kind === 'rateLimited'
        ? outcome.code === CODE_VENDOR_OVER_LOAD
          ? options.startRetryQuotaMs
          : options.rateLimitBackoffMs
        : outcome.kind === 'serverError'
          ? options.startRetryServerErrorMs
          : [];
  return steps[retries] ?? null;
}

import type { Backoff, Deadlines, Host, RecordingOptions, StartAttempt } from './types.js';

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
  let earliest: number | null = null;
  for (const at of [
    deadlines.startBy,
    deadlines.failoverBy,
    deadlines.queryAt,
    deadlines.startAt,
    deadlines.settleBy,
  ]) {
    if (at !== null && (earliest === null || at < earliest)) earliest = at;
  }
  return earliest;
}

export function isDue(deadline: number | null, at: number): boolean {
  return deadline !== null && deadline <= at;
}

const BACKOFF_STEPS = {
  notFound: 'notFoundBackoffMs',
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

/** Whether a run of 404s has used up its probing steps (rules 1 and 3). */
export function probingStepsUsedUp(options: RecordingOptions, backoff: Backoff): boolean {
  return backoff.reason === 'notFound' && backoff.step >= options.notFoundBackoffMs.length;
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

/** Delay before retrying a failed start call, or null when its retries are used up. */
export function startRetryDelay(
  options: RecordingOptions,
  kind: 'serverError' | 'transient' | 'rateLimited',
  retries: number,
): number | null {
  const steps =
    kind === 'transient'
      ? options.startRetryTransientMs
      : kind === 'rateLimited'
        ? options.rateLimitBackoffMs
        : options.startRetryServerErrorMs;
  return steps[retries] ?? null;
}

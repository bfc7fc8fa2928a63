// Rules 1 and 2 of docs/lifecycle.md as pure predicates over what the machine is told.
import type { QueryResult, QuitReason, RecordingNotification } from './types.js';

/** Notifications that prove the recorder runs: 30, 40, 42, 70, and the HA registration 13. */
const LIFE_EVENTS: ReadonlySet<number> = new Set([13, 30, 40, 42, 70]);

/** Leave-code bit: the channel had no users (idle exit). */
export const LEAVE_IDLE = 4;
/** The same in the legacy table (callbacks before REST API 1.3.0): no user but the recorder. */
export const LEGACY_LEAVE_IDLE = 2;
/** Error level of a fatal cloud_recording_error. */
export const FATAL_ERROR_LEVEL = 5;
/** `code` of web_recorder_stopped (71) when the host's `maxRecordingHour` was reached. */
export const WEB_MAX_RECORDING_HOUR = 1;
/** The web recorder's own state while it records (paused by the host or not). */
export const WEB_RECORDER_IN_PROGRESS = 'inProgress';

export const EVENT = {
  error: 1,
  statusUpdate: 3,
  fileInfos: 4,
  sessionExit: 11,
  failover: 12,
  uploaded: 31,
  backuped: 32,
  recorderLeave: 41,
  webRecorderStopped: 71,
  webCapabilityLimit: 72,
} as const;

export function isLifeEvidence(notification: RecordingNotification): boolean {
  return LIFE_EVENTS.has(notification.eventType);
}

/** The quit reason a notification proves (rule 2), or null if it proves no quit. */
export function quitReasonOf(notification: RecordingNotification): QuitReason | null {
  switch (notification.eventType) {
    case EVENT.sessionExit:
      return notification.exitStatus === 1 ? 'abnormalExit' : 'exited';
    case EVENT.uploaded:
    case EVENT.backuped:
      return 'uploaded';
    case EVENT.recorderLeave:
      return hasIdleBit(notification) ? 'idle' : null;
    case EVENT.webRecorderStopped:
      if (notification.code === WEB_MAX_RECORDING_HOUR) return 'maxRecordingHour';
      return notification.code !== undefined && notification.code !== 0
        ? 'webRecorderStopped'
        : null;
    case EVENT.webCapabilityLimit:
      return 'webRecorderStopped';
    default:
      return null;
  }
}

/** A leave without the idle bit: a killed recorder may be failing over (rule 2). */
export function isAmbiguousLeave(notification: RecordingNotification): boolean {
  return notification.eventType === EVENT.recorderLeave && !hasIdleBit(notification);
}

export function isFatalError(notification: RecordingNotification): boolean {
  return notification.eventType === EVENT.error && notification.errorLevel === FATAL_ERROR_LEVEL;
}

/** Notifications that ask for a query now: fatal errors, ambiguous leaves, state mismatches. */
export function promptsQuery(notification: RecordingNotification): boolean {
  return (
    isFatalError(notification) ||
    isAmbiguousLeave(notification) ||
    notification.eventType === EVENT.statusUpdate
  );
}

/** Notifications that make a failover plausible when the session then answers 404. */
export function hintsFailover(notification: RecordingNotification): boolean {
  return isFatalError(notification) || isAmbiguousLeave(notification);
}

/**
 * The failover hint after a notification: set by a hint, cleared by life, else unchanged. A late
 * notification changes nothing: newer news of its recorder was already applied.
 */
export function failoverHintAfter(
  current: number | null,
  notification: RecordingNotification,
  at: number,
): number | null {
  if (notification.late === true) return current;
  if (hintsFailover(notification)) return at;
  return isLifeEvidence(notification) ? null : current;
}

export function isAliveStatus(status: number | undefined): boolean {
  return status === 4 || status === 5;
}

/** Query statuses 6, 7, 8 mean the session exited; 20 that it exited abnormally. */
export function statusQuitReason(status: number | undefined): QuitReason | null {
  if (status === 6 || status === 7 || status === 8) return 'exited';
  if (status === 20) return 'abnormalExit';
  return null;
}

/** Statuses 0..3: the session exists but is still starting. */
function isStartingStatus(status: number | undefined): boolean {
  return status !== undefined && status >= 0 && status <= 3;
}

/**
 * Whether an answer shows life: status 4 or 5, or a web recorder `inProgress` (paused or not)
 * while the status still says 0..3 (rule 1: the recorder's own state is the better witness).
 */
export function answerShowsLife(answer: {
  readonly status?: number | null | undefined;
  readonly webRecorderState?: string | undefined;
}): boolean {
  const status = answer.status ?? undefined;
  return (
    isAliveStatus(status) ||
    (answer.webRecorderState === WEB_RECORDER_IN_PROGRESS && isStartingStatus(status))
  );
}

export function queryShowsLife(outcome: QueryResult): boolean {
  return outcome.kind === 'alive' && answerShowsLife(outcome);
}

export function queryQuitReason(outcome: QueryResult): QuitReason | null {
  return outcome.kind === 'alive' ? statusQuitReason(outcome.status) : null;
}

/** The idle bit of a 41, read with the table of the callback's format (rule 2). */
function hasIdleBit(notification: RecordingNotification): boolean {
  const bit = notification.legacy === true ? LEGACY_LEAVE_IDLE : LEAVE_IDLE;
  return ((notification.leaveCode ?? 0) & bit) !== 0;
}

// Rule 4's evidence of failovers besides a timely 12: a 12 that came late, a `bak<n>_` prefix on
// a file name (then at least n+1 failovers happened), and a recorder uid never seen on the sid.
// The count is the highest any evidence shows (capped at the allowed failovers), the uid the
// latest recorder seen, or the successor the current recorder names; a late notification (older
// than news already applied) moves no uid.
import { filePrefixFor } from './schedule.js';
import type { RecordingContext, RecordingNotification, RecordingOptions } from './types.js';

const BACKUP_PREFIX = /^bak(\d{1,3})_/;

/** What failover evidence changes in the context. */
export interface FailoverCount {
  readonly haAttempts: number;
  readonly filePrefix: string;
  readonly uid: string | null;
  readonly uidSince: number | null;
  readonly recorderUids: readonly string[];
}

/** The failovers a list of file names proves: n+1 for the highest `bak<n>_`, else 0. */
export function failoversInFileNames(
  files: readonly { readonly fileName: string }[] | undefined,
): number {
  let count = 0;
  for (const { fileName } of files ?? []) {
    const match = BACKUP_PREFIX.exec(fileName);
    if (match !== null) count = Math.max(count, Number(match[1]) + 1);
  }
  return count;
}

/** A recorder uid the sid has not shown yet ('' is no uid; before a session nothing is new). */
export function isUnseenRecorder(context: RecordingContext, uid: string | undefined): boolean {
  return (
    uid !== undefined &&
    uid !== '' &&
    context.recorderUids.length > 0 &&
    !context.recorderUids.includes(uid)
  );
}

/**
 * The count after what a notification or a query's files show, or null when they show nothing
 * new. `notification` is absent for a query.
 */
export function failoverEvidence(
  context: RecordingContext,
  options: RecordingOptions,
  files: readonly { readonly fileName: string }[] | undefined,
  notification?: RecordingNotification,
): FailoverCount | null {
  let recorderUids = context.recorderUids;
  let uid = context.uid;
  let uidSince = context.uidSince;
  // Late news, or news older than what made the current uid, moves no uid.
  const newer =
    notification !== undefined &&
    notification.late !== true &&
    (uidSince === null || notification.sendts >= uidSince);
  // The current recorder announcing its successor is the latest word on the uid, whatever its
  // time: its own 12 can carry an earlier sendts than other news of it that arrived first.
  const handOver =
    notification !== undefined &&
    notification.late !== true &&
    notification.eventType === 12 &&
    notification.uid === context.uid;
  for (const seen of [
    notification?.uid,
    notification?.eventType === 12 ? notification.newUid : undefined,
  ]) {
    if (seen === undefined || !isUnseenRecorder({ ...context, recorderUids }, seen)) continue;
    recorderUids = [...recorderUids, seen];
    if (newer || (handOver && seen === notification.newUid)) {
      uid = seen;
      uidSince = Math.max(notification.sendts, uidSince ?? notification.sendts);
    }
  }
  const shown = Math.max(recorderUids.length - 1, failoversInFileNames(files));
  const haAttempts = Math.min(Math.max(context.haAttempts, shown), options.maxHaAttempts);
  if (recorderUids === context.recorderUids && haAttempts === context.haAttempts) return null;
  return { haAttempts, filePrefix: filePrefixFor(haAttempts), uid, uidSince, recorderUids };
}

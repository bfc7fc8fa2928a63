// Rule 4's evidence of failovers besides a timely 12: a 12 that came late, a `bak<n>_` prefix on
// a file name (then at least n+1 failovers happened), and a recorder uid never seen on the sid.
// The count is the highest any evidence shows (capped at the allowed failovers), the uid the
// latest recorder seen, or the successor the current recorder names; a late notification (older
// than news already applied) moves no uid.
import { filePrefixFor } from './schedule.js';
import { recorderUid } from './session.js';
import type {
  Failover,
  RecordingContext,
  RecordingNotification,
  RecordingOptions,
} from './types.js';

const BACKUP_PREFIX = /^bak(\d{1,3})_/;

/** What failover evidence changes in the failover group. */
export type FailoverCount = Omit<Failover, 'hint'>;

type Seen = Pick<RecordingContext, 'session' | 'failover'>;

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

/** A uid not among the session's recorders so far ('' is no uid; before a session nothing is new). */
function unseen(
  session: RecordingContext['session'],
  newRecorders: readonly string[],
  uid: string | undefined,
): uid is string {
  if (uid === undefined || uid === '') return false;
  if (session === null) return newRecorders.length > 0 && !newRecorders.includes(uid);
  return uid !== session.uid && !newRecorders.includes(uid);
}

/** A recorder uid the sid has not shown yet ('' is no uid; before a session nothing is new). */
export function isUnseenRecorder(context: Seen, uid: string | undefined): boolean {
  return unseen(context.session, context.failover.newRecorders, uid);
}

/**
 * The count after what a notification or a query's files show, or null when they show nothing
 * new. `notification` is absent for a query.
 */
export function failoverEvidence(
  context: Seen,
  options: RecordingOptions,
  files: readonly { readonly fileName: string }[] | undefined,
  notification?: RecordingNotification,
): FailoverCount | null {
  const { failover } = context;
  let newRecorders = failover.newRecorders;
  let recorder = failover.recorder;
  let recorderSince = failover.recorderSince;
  // Late news, or news older than what made the current uid, moves no uid.
  const newer =
    notification !== undefined &&
    notification.late !== true &&
    (recorderSince === null || notification.sendts >= recorderSince);
  // The current recorder announcing its successor is the latest word on the uid, whatever its
  // time: its own 12 can carry an earlier sendts than other news of it that arrived first.
  const handOver =
    notification !== undefined &&
    notification.late !== true &&
    notification.eventType === 12 &&
    notification.uid === recorderUid(context);
  for (const seen of [
    notification?.uid,
    notification?.eventType === 12 ? notification.newUid : undefined,
  ]) {
    if (!unseen(context.session, newRecorders, seen)) continue;
    newRecorders = [...newRecorders, seen];
    if (newer || (handOver && seen === notification.newUid)) {
      recorder = seen;
      recorderSince = Math.max(notification.sendts, recorderSince ?? notification.sendts);
    }
  }
  // Every recorder after the session's own is a failover.
  const recorders = (context.session === null ? 0 : 1) + newRecorders.length;
  const shown = Math.max(recorders - 1, failoversInFileNames(files));
  const haAttempts = Math.min(Math.max(failover.haAttempts, shown), options.maxHaAttempts);
  if (newRecorders === failover.newRecorders && haAttempts === failover.haAttempts) return null;
  return {
    haAttempts,
    filePrefix: filePrefixFor(haAttempts),
    recorder,
    recorderSince,
    newRecorders,
  };
}

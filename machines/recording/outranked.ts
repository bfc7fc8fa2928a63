// Rule 9 of docs/lifecycle.md: a query outranks older notifications, and old news stays evidence.
import { answerShowsLife, quitReasonOf } from './evidence.js';
import type {
  OutrankedQuit,
  QuitReason,
  RecordingContext,
  RecordingNotification,
} from './types.js';

type Seen = Pick<RecordingContext, 'lastQuery'>;

/**
 * Whether a notification that happened at `sendts` (Agora's clock, ms) is older than the latest
 * query, which showed life: it cannot undo what the query showed. "Older" compares with when the
 * query was sent (`sentAt`; `at` when the record did not say), since its answer describes a
 * moment before it arrived.
 * @example supersededByQuery({ lastQuery: { at: 100, sentAt: 95, kind: 'alive', httpStatus: 200, status: 5 } }, 97) // false
 */
export function supersededByQuery(context: Seen, sendts: number): boolean {
  const { lastQuery } = context;
  return (
    lastQuery !== null &&
    lastQuery.kind === 'alive' &&
    answerShowsLife(lastQuery) &&
    sendts < (lastQuery.sentAt ?? lastQuery.at)
  );
}

/**
 * The outranked quit evidence after a notification: the earliest (by `sendts`) quit evidence a
 * query outranked, or the current one unchanged. A late notification counts too: it is old news,
 * and rule 9 keeps old news as evidence.
 */
export function outrankedQuitAfter(
  context: Seen & Pick<RecordingContext, 'outrankedQuit'>,
  notification: RecordingNotification,
): OutrankedQuit | null {
  const current = context.outrankedQuit;
  const reason = quitReasonOf(notification);
  if (reason === null || !supersededByQuery(context, notification.sendts)) return current;
  if (current !== null && current.sendts <= notification.sendts) return current;
  return { reason, sendts: notification.sendts };
}

/**
 * The reason a confirmed quit takes: that of the earliest quit evidence, an outranked one
 * included (rule 9: an 11 after an idle 41 the query outranked is an `idle` quit). `sendts` is
 * the confirming notification's; a query confirming a quit is newer than any outranked news.
 */
export function earliestQuitReason(
  outranked: OutrankedQuit | null,
  reason: QuitReason,
  sendts?: number,
): QuitReason {
  if (outranked === null) return reason;
  return sendts === undefined || outranked.sendts <= sendts ? outranked.reason : reason;
}

// Guards of the lifecycle machine: pure predicates over (context, event).
import {
  failoverHintAfter,
  isLifeEvidence,
  promptsQuery,
  queryQuitReason,
  queryShowsLife,
  quitReasonOf,
} from './evidence.js';
import { failoverEvidence, isUnseenRecorder } from './failover-evidence.js';
import { newFileNames } from './files.js';
import { orphanOf } from './orphans.js';
import { outrankedQuitAfter, supersededByQuery } from './outranked.js';
import { isDue, nextBackoff, probingStepsUsedUp, startRetryDelay } from './schedule.js';
import { recorderSeen, recorderUid } from './session.js';
import type {
  RecordingContext as Context,
  RecordingEvent as Event,
  RecordingOptions as Options,
} from './types.js';

/** A guard: a pure predicate over the context, the event and the host's options. */
export type Guard = (context: Context, event: Event, options: Options) => boolean;

const UNCERTAIN_KINDS: ReadonlySet<string> = new Set(['serverError', 'transient', 'rateLimited']);
/** `start` refused because a recorder with that uid already runs (codes 7, 53, 1004). */
const UID_CONFLICT_CODES: ReadonlySet<number> = new Set([7, 53, 1004]);

// Query results (rules 1, 3, 5, 6)
export const queryShowsAlive: Guard = (_, e) => e.type === 'query' && queryShowsLife(e.outcome);
export const queryShowsQuit: Guard = (_, e) =>
  e.type === 'query' && queryQuitReason(e.outcome) !== null;
export const queryNotFound: Guard = (_, e) => e.type === 'query' && e.outcome.kind === 'notFound';
export const queryUncertain: Guard = (_, e) =>
  e.type === 'query' && UNCERTAIN_KINDS.has(e.outcome.kind);
export const queryRejected: Guard = (_, e) =>
  e.type === 'query' && e.outcome.kind === 'clientError';

/** One more 404 would be past the last probing step of a live recording (rule 3). */
export const probingExhausted: Guard = (c, _e, o) =>
  probingStepsUsedUp(o, nextBackoff(o, c.monitoring.backoff, 'notFound'));

/** One more 404 would be past the last probing step while starting (rule 1). */
export const startProbingExhausted: Guard = (c, _e, o) =>
  probingStepsUsedUp(o, nextBackoff(o, c.monitoring.backoff, 'startingNotFound'));

/** A query that got an answer: a 200 or a 404 `code 404` (rule 1: such an answer decides). */
export const queryAnswered: Guard = (_, e) =>
  e.type === 'query' && (e.outcome.kind === 'alive' || e.outcome.kind === 'notFound');

/**
 * Every query since the sid was known went unanswered (50x, 206, 429, no response), and at
 * least one was tried: no answer says the recording did not start (rule 1).
 */
export const startUnanswered: Guard = (c) =>
  c.monitoring.uncertainSince !== null && !c.monitoring.answered;

/**
 * The start deadline passed with every query unanswered (`holdStartForAnswer` spent it): the
 * first answered query decides (rule 1).
 */
export const startAwaitsAnswer: Guard = (c) => c.session !== null && c.deadlines.startBy === null;

/** A failover is plausible: a fatal error or an ambiguous leave, within the failover window. */
export const failoverPlausible: Guard = (c, e, o) =>
  c.failover.hint !== null && e.at < c.failover.hint + o.failoverTimeoutMs;

// Notifications (rules 1, 2, 4, 9)
export const notifiesQuit: Guard = (c, e, _o) =>
  e.type === 'notification' &&
  quitReasonOf(e.notification) !== null &&
  !supersededByQuery(c, e.notification.sendts);

/**
 * A 12 that moves the recording to `failoverPending`: not older than a query that showed life
 * (rule 9), not late, and not naming a recorder the sid has already shown (that one is known to
 * run). The others still count as evidence (rule 4, see noteNotification).
 */
export const notifiesFailover: Guard = (c, e, _o) =>
  e.type === 'notification' &&
  e.notification.eventType === 12 &&
  e.notification.late !== true &&
  (c.failover.recorderSince === null || e.notification.sendts >= c.failover.recorderSince) &&
  (e.notification.newUid === undefined || !recorderSeen(c, e.notification.newUid)) &&
  !supersededByQuery(c, e.notification.sendts);

/** Rule 4: one more failover would be beyond the last allowed attempt. */
export const haAttemptsUsedUp: Guard = (c, _e, o) => c.failover.haAttempts + 1 > o.maxHaAttempts;

export const notifiesLife: Guard = (_, e) =>
  e.type === 'notification' && isLifeEvidence(e.notification);

/** A notification from a recorder uid the sid has not shown yet (rule 4: a new recorder). */
export const notifiesUnseenRecorder: Guard = (c, e) =>
  e.type === 'notification' && isUnseenRecorder(c, e.notification.uid);

/** A notification from the current recorder's uid, or a life event from a uid-less payload. */
export const notifiesCurrentRecorder: Guard = (c, e) => {
  if (e.type !== 'notification') return false;
  const { uid } = e.notification;
  return uid === '' ? isLifeEvidence(e.notification) : uid === recorderUid(c);
};

/**
 * A notification with something to note besides its lifecycle meaning: new files, a hint change,
 * evidence of a failover, quit evidence a query outranked (rule 9).
 */
export const notificationNoteworthy: Guard = (c, e, o) =>
  e.type === 'notification' &&
  (newFileNames(c, e.notification.files).length > 0 ||
    failoverHintAfter(c.failover.hint, e.notification, e.at) !== c.failover.hint ||
    failoverEvidence(c, o, e.notification.files, e.notification) !== null ||
    outrankedQuitAfter(c, e.notification) !== c.outrankedQuit);

/** A notification naming files not reported yet (they are news in any live state). */
export const notificationReportsFiles: Guard = (c, e, _o) =>
  e.type === 'notification' && newFileNames(c, e.notification.files).length > 0;

export const notificationPromptsQuery: Guard = (_, e) =>
  e.type === 'notification' && promptsQuery(e.notification);

// Start attempts (rule 7)
export const startRejected: Guard = (_, e) =>
  e.type === 'startFailed' &&
  (e.outcome.kind === 'clientError' || e.outcome.kind === 'notFound') &&
  !UID_CONFLICT_CODES.has(e.outcome.code ?? -1);

/** A failed start worth retrying with the same uid (50x, 206, 429, the 406 quota: rules 5, 7). */
export const startCanRetry: Guard = (c, e, o) => {
  if (e.type !== 'startFailed' || c.attempt === null) return false;
  return startRetryDelay(o, e.outcome, c.attempt.retries) !== null;
};

/**
 * Rule 11: a start's answer that leaves a recorder possible: no response, a 50x or odd status,
 * 206 code 65, or "already running" (codes 7, 53, 1004). It is settled, never sent again as is.
 */
export const startMayRunUnseen: Guard = (_, e) =>
  e.type === 'startFailed' &&
  (e.outcome.kind === 'serverError' ||
    e.outcome.kind === 'transient' ||
    UID_CONFLICT_CODES.has(e.outcome.code ?? -1));

/**
 * Rule 11 with rule 7: a start given up after its settle window still has a retry of its start
 * budget (`startRetryServerErrorMs`), taken with the other uid, before it counts as failed.
 */
export const startRetriesLeft: Guard = (c, _e, o) =>
  c.attempt !== null && startRetryDelay(o, { kind: 'serverError' }, c.attempt.retries) !== null;

/** `startSent` for the uid of the attempt the chart is on (a late one of an older attempt is not). */
export const startSentForAttempt: Guard = (c, e) =>
  e.type === 'startSent' && c.attempt !== null && e.uid === c.attempt.uid;

/** A previous session of the recording, not yet sent its stop, showed life (rule 13). */
export const orphanKnown: Guard = (c, e) =>
  e.type === 'orphanLife' && orphanOf(c.orphans, e.sid, e.uid) !== undefined;

/** No start is scheduled for later: a restart without delay calls at once. */
export const noStartScheduled: Guard = (c) => c.deadlines.startAt === null;

// Restart policy (rule 7)
/** The host excluded the quit's reason from restarts (default: `idle`, `maxRecordingHour`). */
export const restartExcluded: Guard = (c, _, o) =>
  c.quitReason !== null && o.restartExcludedReasons.includes(c.quitReason);

/** The host turned restarts off (a budget of 0): a quit stays a quit, it is not a failure. */
export const restartsOff: Guard = (_c, _e, o) => o.restartBudget === 0;

/** Every restart of the budget has been used (rule 7: beyond it the recording fails). */
export const restartBudgetSpent: Guard = (c, _, o) => c.restarts >= o.restartBudget;

// Stopping (rule 10)
/**
 * A stop call's answer that means the session is gone: 200, 435 no data, 49 already exiting, and
 * a 404 unless a failover may be under way (rule 10: Agora answers 404 to a stop then).
 */
export const stopConfirmed: Guard = (c, e, o) => {
  if (e.type !== 'stopResult') return false;
  const { kind, code } = e.outcome;
  if (kind === 'notFound') return !failoverWindowOpenAt(c, o, e.at);
  return kind === 'ok' || code === 435 || code === 49;
};

/** A stop call answered with a 40x (rule 10: wrong, unless it says the session is gone). */
export const stopAnsweredClientError: Guard = (_, e) =>
  e.type === 'stopResult' && e.outcome.kind === 'clientError';

/** The recording has a session a REST call can name. */
export const sessionKnown: Guard = (c) => c.session !== null;

/**
 * A failover may still be under way, so 404s are expected: a 12 was seen and its deadline has
 * not passed (rule 4), or a failover hint (fatal error, ambiguous leave) came less than
 * `failoverTimeoutMs` ago (rule 3).
 */
export const failoverWindowOpen: Guard = (c, e, o) => failoverWindowOpenAt(c, o, e.at);

function failoverWindowOpenAt(c: Context, o: Options, at: number): boolean {
  const { failoverBy } = c.deadlines;
  const { hint } = c.failover;
  return (
    (failoverBy !== null && at < failoverBy) || (hint !== null && at < hint + o.failoverTimeoutMs)
  );
}

// Deadlines (time is an input: a tick fires what is due)
export const startDeadlinePassed: Guard = (c, e, _o) =>
  e.type === 'tick' && isDue(c.deadlines.startBy, e.at);
export const failoverDeadlinePassed: Guard = (c, e, _o) =>
  e.type === 'tick' && isDue(c.deadlines.failoverBy, e.at);
export const queryDue: Guard = (c, e, _o) => e.type === 'tick' && isDue(c.deadlines.queryAt, e.at);
export const startDue: Guard = (c, e, _o) => e.type === 'tick' && isDue(c.deadlines.startAt, e.at);
export const settleDeadlinePassed: Guard = (c, e, _o) =>
  e.type === 'tick' && isDue(c.deadlines.settleBy, e.at);

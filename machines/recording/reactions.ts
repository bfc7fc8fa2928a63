// What the machine does on its transitions, as pure functions: (context, event) → a context patch
// and the outputs to emit. The machine file wires them to states; `react` adapts them to XState.
import { failoverHintAfter, queryQuitReason, quitReasonOf } from './evidence.js';
import { type FailoverCount, failoverEvidence } from './failover-evidence.js';
import { newFileNames, withFiles } from './files.js';
import { NO_FAILOVER, NONE, withFailover, withMonitoring } from './groups.js';
import { orphanOf, orphansAfterGivingUp } from './orphans.js';
import { earliestQuitReason, outrankedQuitAfter } from './outranked.js';
import {
  backoffDelay,
  deriveBackupUid,
  filePrefixFor,
  isDue,
  NO_DEADLINES,
  nextBackoff,
  restartDelay,
  startRetryDelay,
  uidForNextAttempt,
} from './schedule.js';
import { recorderSeen, recorderUid } from './session.js';
import type {
  Backoff,
  RecordingContext as Context,
  Deadlines,
  RecordingEvent as Event,
  Failover,
  Host,
  Monitoring,
  RecordingOptions as Options,
  QueryPriority,
  QueryResult,
  QuitReason,
  RecordingOutput,
  Session,
  StartAttempt,
  StartCall,
} from './types.js';

/** A context patch and the outputs of one step of a transition. */
export interface Reaction {
  readonly patch?: Partial<Context>;
  readonly emit?: readonly RecordingOutput[];
}

/** A reaction: a pure function of the context, the event and the host's options. */
export type Reactor = (context: Context, event: Event, options: Options) => Reaction;

const NOTHING: Reaction = {};

function deadlines(context: Context, changes: Partial<Deadlines>): Deadlines {
  return { ...context.deadlines, ...changes };
}

function monitoring(context: Context, changes: Partial<Monitoring>): Monitoring {
  return withMonitoring(context.monitoring, changes);
}

function failover(context: Context, changes: Partial<Failover>): Failover {
  return withFailover(context.failover, changes);
}

/** The attempt with `changes`, or the same object when they change nothing. */
function attempt(current: StartAttempt, changes: Partial<StartAttempt>): StartAttempt {
  for (const key in changes) {
    if (changes[key as keyof StartAttempt] !== current[key as keyof StartAttempt])
      return { ...current, ...changes };
  }
  return current;
}

/** Which start call: the host's channel and mode with `uid`, this start and retry. */
function startCall(
  context: Context,
  host: Host,
  uid: string,
  retry: number,
  restarts = context.restarts,
): StartCall {
  return { cname: host.cname, uid, mode: host.mode, restarts, retry };
}

/** An acquire+start for the host's channel (its `start` waits for the chart, see `sendStart`). */
function acquireAndStart(
  context: Context,
  host: Host,
  uid: string,
  retry: number,
  restarts = context.restarts,
): RecordingOutput {
  const call = startCall(context, host, uid, retry, restarts);
  return { kind: 'effect', recording: context.recording, type: 'acquireAndStart', ...call };
}

/** A `query` or `stop` of the current session, or nothing without one. */
function sessionEffect(
  context: Context,
  type: 'query' | 'stop',
  priority: QueryPriority = 'urgent',
): readonly RecordingOutput[] {
  const { session } = context;
  if (session === null) return NONE;
  if (type === 'stop') return [{ kind: 'effect', recording: context.recording, type, ...session }];
  return [{ kind: 'effect', recording: context.recording, type, priority, ...session }];
}

// Starting (rules 1, 7, 11)

/** The host starts the recording: remember who it is and issue the first acquire+start. */
export const acceptStart: Reactor = (context, event, options) => {
  if (event.type !== 'start') return NOTHING;
  const host: Host = {
    cname: event.cname,
    mode: event.mode,
    primaryUid: event.uid,
    backupUid: event.backupUid ?? deriveBackupUid(event.uid),
  };
  return {
    patch: {
      host,
      attempt: { uid: event.uid, retries: 0, resourceId: null, failed: false },
      deadlines: { ...NO_DEADLINES, startBy: event.at + options.startTimeoutMs },
    },
    emit: [acquireAndStart(context, host, event.uid, 0)],
  };
};

/**
 * A start call failed in a way worth retrying: try again after the next retry step. The start
 * deadline never falls before the retry has had its `startTimeoutMs` (the quota's steps of rule 5
 * outlast the 90 s of rule 1).
 */
export const scheduleStartRetry: Reactor = (context, event, options) => {
  if (event.type !== 'startFailed' || context.attempt === null) return NOTHING;
  const delay = startRetryDelay(options, event.outcome, context.attempt.retries) ?? 0;
  const startAt = event.at + delay;
  const { startBy } = context.deadlines;
  return {
    patch: {
      attempt: attempt(context.attempt, { retries: context.attempt.retries + 1 }),
      deadlines: deadlines(context, {
        startAt,
        startBy: Math.max(startBy ?? 0, startAt + options.startTimeoutMs),
      }),
    },
  };
};

/**
 * The retry step is due, or the process resumed while only `acquire` was out (no `start` was
 * sent, rule 12): issue acquire+start again with the same uid.
 */
export const retryStart: Reactor = (context, _event, _options) => {
  const { host, attempt: current } = context;
  if (host === null || current === null) return NOTHING;
  return {
    patch: { deadlines: deadlines(context, { startAt: null }) },
    emit: [acquireAndStart(context, host, current.uid, current.retries)],
  };
};

/**
 * `startSent`: the resource is acquired and the shell may send `start` now. The attempt keeps
 * the resource (an adopted session needs it, rule 11); the `start` effect is the go-ahead.
 */
export const sendStart: Reactor = (context, event, _options) => {
  const { host, attempt: current } = context;
  if (event.type !== 'startSent' || host === null || current === null) return NOTHING;
  const call = startCall(context, host, event.uid, current.retries);
  const { resourceId } = event;
  return {
    patch: { attempt: attempt(current, { uid: event.uid, resourceId }) },
    emit: [{ kind: 'effect', recording: context.recording, type: 'start', resourceId, ...call }],
  };
};

/**
 * The start's answer was lost (no response, a 50x, 206 code 65), said "already running", or the
 * process died while it was out: it may have created a recorder. Rule 11: settle it, watching
 * for its notifications, until `settleStartMs` from now; no start is sent meanwhile.
 */
export const settleStart: Reactor = (_context, event, options) => ({
  patch: { deadlines: { ...NO_DEADLINES, settleBy: event.at + options.settleStartMs } },
});

/**
 * The settle window passed with no sign of the start (rule 11): it is taken as not made, and
 * the next attempt goes out at once (the window was its wait) with the other uid, so a recorder
 * that did start unseen and the new one never share a uid (rule 7's retry of a failed start).
 */
export const retryWithOtherUid: Reactor = (context, event, options) => {
  const { host, attempt: current } = context;
  if (host === null || current === null) return NOTHING;
  const uid = current.uid === host.backupUid ? host.primaryUid : host.backupUid;
  const retries = current.retries + 1;
  return {
    patch: {
      attempt: { uid, retries, resourceId: null, failed: false },
      orphans: orphansAfterGivingUp(context, current, uid),
      deadlines: { ...NO_DEADLINES, startBy: event.at + options.startTimeoutMs },
    },
    emit: [acquireAndStart(context, host, uid, retries)],
  };
};

/** Resumed while settling: the window runs at least `settleStartMs` from now (news was missed). */
export const extendSettle: Reactor = (context, event, options) => {
  const until = event.at + options.settleStartMs;
  const { settleBy } = context.deadlines;
  if (settleBy !== null && settleBy >= until) return NOTHING;
  return { patch: { deadlines: deadlines(context, { settleBy: until }) } };
};

/** The start call answered with a sid (or its notifications named it): a new session to confirm. */
export const adoptSid: Reactor = (context, event, options) => {
  const { host } = context;
  if (event.type !== 'started' || host === null) return NOTHING;
  const previous = context.session;
  // A sid or resourceId a REST call cannot name makes no session (the core refuses them first).
  // The order of a `query`/`stop` effect's fields: sid, resourceId, mode, cname, uid.
  const session: Session | null =
    event.sid === '' || event.resourceId === ''
      ? null
      : {
          sid: event.sid,
          resourceId: event.resourceId,
          mode: host.mode,
          cname: host.cname,
          uid: event.uid,
        };
  const moved = previous !== null && previous.sid !== event.sid;
  return {
    patch: {
      session,
      previousSids: moved ? [...context.previousSids, previous.sid] : context.previousSids,
      // The session left behind may still run a recorder: rule 13 stops it if it shows life.
      ...(moved && { orphans: [...context.orphans, previous] }),
      failover: NO_FAILOVER,
      outrankedQuit: null,
      attempt:
        context.attempt === null
          ? null
          : attempt(context.attempt, { uid: event.uid, resourceId: event.resourceId }),
      monitoring: monitoring(context, { backoff: null, uncertainSince: null, answered: false }),
      deadlines: {
        ...NO_DEADLINES,
        startBy: event.at + options.startTimeoutMs,
        queryAt: event.at + options.firstQueryDelayMs,
      },
    },
    emit:
      event.adopted === true
        ? [
            {
              kind: 'event',
              recording: context.recording,
              type: 'adopted',
              sid: event.sid,
              uid: event.uid,
            },
          ]
        : NONE,
  };
};

export const announceRestarted: Reactor = (context, event, _options) => {
  if (event.type !== 'started') return NOTHING;
  return {
    emit: [
      {
        kind: 'event',
        recording: context.recording,
        type: 'restarted',
        sid: event.sid,
        restarts: context.restarts,
      },
    ],
  };
};

/** First evidence of life for this sid: the recording runs. */
export const confirmStarted: Reactor = (context, event, options) => ({
  patch: {
    attempt: context.attempt === null ? null : attempt(context.attempt, { failed: false }),
    monitoring: monitoring(context, { backoff: null, uncertainSince: null }),
    deadlines: { ...NO_DEADLINES, queryAt: event.at + options.pollIntervalMs },
  },
  emit: sessionEvent(context, 'started'),
});

// Queries (rules 3, 5)

const BACKOFF_REASON: Partial<Record<QueryResult['kind'], Backoff['reason']>> = {
  notFound: 'notFound',
  serverError: 'serverError',
  transient: 'transient',
  rateLimited: 'rateLimited',
};

/** Record what a query said: its status, new files, and whether the picture is now uncertain. */
export const noteQuery: Reactor = (context, event, options) => {
  if (event.type !== 'query') return NOTHING;
  const { outcome } = event;
  const uncertain =
    outcome.kind === 'serverError' ||
    outcome.kind === 'transient' ||
    outcome.kind === 'rateLimited';
  const files = newFileNames(context, outcome.files);
  const evidence = failoverEvidence(context, options, outcome.files);
  const { uncertainSince } = context.monitoring;
  const emit: RecordingOutput[] = [];
  if (files.length > 0) emit.push(...filesReported(context, files));
  if (uncertain && uncertainSince === null)
    emit.push({ kind: 'event', recording: context.recording, type: 'uncertain', since: event.at });
  if (evidence !== null) emit.push(...failoverCounted(context, evidence));
  return {
    patch: {
      lastQuery: {
        at: event.at,
        ...(event.sentAt !== undefined && { sentAt: event.sentAt }),
        kind: outcome.kind,
        httpStatus: outcome.httpStatus,
        status: outcome.status ?? null,
        ...(outcome.webRecorderState !== undefined && {
          webRecorderState: outcome.webRecorderState,
        }),
      },
      monitoring: monitoring(context, {
        uncertainSince: uncertain ? (uncertainSince ?? event.at) : null,
        answered: context.monitoring.answered || !uncertain,
      }),
      ...(files.length > 0 && { files: withFiles(context.files, files) }),
      ...(evidence !== null && { failover: failover(context, evidence) }),
    },
    emit,
  };
};

/** One more failed query: wait the next back-off step of its kind, then query again. */
const backOffAs =
  (reasons: Partial<Record<QueryResult['kind'], Backoff['reason']>>): Reactor =>
  (context, event, options) => {
    if (event.type !== 'query') return NOTHING;
    const reason = reasons[event.outcome.kind];
    if (reason === undefined) return NOTHING;
    const backoff = nextBackoff(options, context.monitoring.backoff, reason);
    return {
      patch: {
        monitoring: monitoring(context, { backoff }),
        deadlines: deadlines(context, { queryAt: event.at + backoffDelay(options, backoff) }),
      },
    };
  };

/** In a live recording: a 404 probes with `notFoundBackoffMs` (rule 3). */
export const backOffQuery = backOffAs(BACKOFF_REASON);
/** While starting: a 404 probes with `startingNotFoundBackoffMs` (rule 1). */
export const backOffStartingQuery = backOffAs({ ...BACKOFF_REASON, notFound: 'startingNotFound' });

const pollAfter =
  (interval: (options: Options) => number): Reactor =>
  (context, event, options) => ({
    patch: {
      monitoring: monitoring(context, { backoff: null }),
      deadlines: deadlines(context, { queryAt: event.at + interval(options) }),
    },
  });

export const pollWhileStarting = pollAfter((o) => o.startingQueryIntervalMs);
export const pollRegularly = pollAfter((o) => o.pollIntervalMs);
export const pollDuringFailover = pollAfter((o) => o.failoverQueryIntervalMs);

/** Query now (urgently); if no answer comes, query again after the poll interval. */
export const queryNow: Reactor = (context, event, options) => ({
  patch: { deadlines: deadlines(context, { queryAt: event.at + options.pollIntervalMs }) },
  emit: sessionEffect(context, 'query'),
});

/**
 * A live recording's scheduled query: a routine poll while nothing is in doubt, urgent while
 * probing a 404, backing off an error or after a failover hint.
 */
export const queryOnSchedule: Reactor = (context, event, options) => {
  const { monitoring: m, failover: f } = context;
  const routine = m.backoff === null && m.uncertainSince === null && f.hint === null;
  return {
    patch: { deadlines: deadlines(context, { queryAt: event.at + options.pollIntervalMs }) },
    emit: sessionEffect(context, 'query', routine ? 'poll' : 'urgent'),
  };
};

/**
 * The process resumed (rule 12): what was out may be lost. A session whose last answer is older
 * than the poll interval, or whose verdict falls due within the settle window, is queried now,
 * and that verdict waits for the answer (at most `settleStartMs`): nobody is declared dead
 * before Agora was asked.
 */
export const requeryOnResume: Reactor = (context, event, options) => {
  const { lastQuery, deadlines: d } = context;
  const grace = event.at + options.settleStartMs;
  const verdictDue = (by: number | null) => by !== null && by < grace;
  const stale = lastQuery === null || event.at - lastQuery.at >= options.pollIntervalMs;
  if (!stale && !verdictDue(d.startBy) && !verdictDue(d.failoverBy)) return NOTHING;
  return {
    patch: {
      deadlines: deadlines(context, {
        queryAt: event.at + options.pollIntervalMs,
        ...(verdictDue(d.startBy) && { startBy: grace }),
        ...(verdictDue(d.failoverBy) && { failoverBy: grace }),
      }),
    },
    emit: sessionEffect(context, 'query'),
  };
};

/**
 * The start deadline passed while every query went unanswered (rule 1): no answer is no proof
 * that the recording did not start. The deadline is spent (the first answered query decides),
 * and a query that is due goes out now.
 */
export const holdStartForAnswer: Reactor = (context, event, options) => {
  const held = { ...context, deadlines: deadlines(context, { startBy: null }) };
  if (!isDue(held.deadlines.queryAt, event.at)) return { patch: { deadlines: held.deadlines } };
  const query = queryNow(held, event, options);
  return { patch: { deadlines: query.patch?.deadlines ?? held.deadlines }, emit: query.emit };
};

// Notifications (rules 2, 3, 4)

/**
 * Record what any notification tells besides its lifecycle meaning: files, failover hints, and
 * evidence of failovers (a late 12, a `bak<n>_` prefix, a recorder uid new to the sid: rule 4).
 */
export const noteNotification: Reactor = (context, event, options) => {
  if (event.type !== 'notification') return NOTHING;
  const { notification } = event;
  const files = newFileNames(context, notification.files);
  const hint = failoverHintAfter(context.failover.hint, notification, event.at);
  const evidence = failoverEvidence(context, options, notification.files, notification);
  const outrankedQuit = outrankedQuitAfter(context, notification);
  if (
    files.length === 0 &&
    hint === context.failover.hint &&
    evidence === null &&
    outrankedQuit === context.outrankedQuit
  )
    return NOTHING;
  return {
    patch: {
      failover: failover(context, { ...evidence, hint }),
      ...(files.length > 0 && { files: withFiles(context.files, files) }),
      ...(outrankedQuit !== context.outrankedQuit && { outrankedQuit }),
    },
    emit: [
      ...(files.length > 0 ? filesReported(context, files) : NONE),
      ...(evidence === null ? NONE : failoverCounted(context, evidence)),
    ],
  };
};

/** Record the files a notification names, and nothing else (after a quit, while stopping). */
export const noteFiles: Reactor = (context, event, _options) => {
  if (event.type !== 'notification') return NOTHING;
  const files = newFileNames(context, event.notification.files);
  if (files.length === 0) return NOTHING;
  return {
    patch: { files: withFiles(context.files, files) },
    emit: filesReported(context, files),
  };
};

/** The `failover` event when evidence raised the count or moved the recorder uid. */
function failoverCounted(context: Context, evidence: FailoverCount): readonly RecordingOutput[] {
  const { session } = context;
  const uid = evidence.recorder ?? session?.uid;
  if (session === null || uid === undefined) return NONE;
  if (evidence.haAttempts === context.failover.haAttempts && uid === recorderUid(context))
    return NONE;
  return [failoverEvent(context, session, uid, evidence)];
}

/** The `failover` event: the session, its recorder uid, and the count and prefix now. */
function failoverEvent(
  context: Context,
  session: Session,
  uid: string,
  count: Pick<Failover, 'haAttempts' | 'filePrefix'>,
): RecordingOutput {
  return {
    kind: 'event',
    recording: context.recording,
    type: 'failover',
    sid: session.sid,
    uid,
    haAttempts: count.haAttempts,
    filePrefix: count.filePrefix,
  };
}

/** Event 12: the session moves to a new server with a new recorder uid and playlist prefix. */
export const beginFailover: Reactor = (context, event, options) => {
  const { session } = context;
  if (event.type !== 'notification' || session === null) return NOTHING;
  const haAttempts = context.failover.haAttempts + 1;
  const { newUid } = event.notification;
  const recorder = newUid ?? context.failover.recorder;
  const filePrefix = filePrefixFor(haAttempts);
  const { newRecorders } = context.failover;
  return {
    patch: {
      failover: {
        haAttempts,
        filePrefix,
        recorder,
        recorderSince: event.notification.sendts,
        newRecorders:
          newUid === undefined || recorderSeen(context, newUid)
            ? newRecorders
            : [...newRecorders, newUid],
        hint: null,
      },
      monitoring: monitoring(context, { backoff: null }),
      deadlines: {
        ...NO_DEADLINES,
        failoverBy: event.at + options.failoverTimeoutMs,
        queryAt: event.at + options.failoverQueryIntervalMs,
      },
    },
    emit: [failoverEvent(context, session, recorder ?? session.uid, { haAttempts, filePrefix })],
  };
};

/** Probing ran out, but a fatal error or ambiguous leave came first: wait out a failover. */
export const suspectFailover: Reactor = (context, event, options) => {
  const since = context.failover.hint ?? event.at;
  return {
    patch: {
      monitoring: monitoring(context, { backoff: null }),
      deadlines: {
        ...NO_DEADLINES,
        failoverBy: since + options.failoverTimeoutMs,
        queryAt: event.at + options.failoverQueryIntervalMs,
      },
    },
  };
};

/** Life after a failover: the recording runs again on its new server. */
export const resumeAfterFailover: Reactor = (context, event, options) => ({
  patch: {
    monitoring: monitoring(context, { backoff: null, uncertainSince: null }),
    failover: failover(context, { hint: null }),
    deadlines: { ...NO_DEADLINES, queryAt: event.at + options.pollIntervalMs },
  },
  emit: sessionEvent(context, 'resumed'),
});

// Quitting, restarting, failing (rules 2, 4, 6, 7, 10)

/** Quits known only by absence: the recorder may still be in the channel (rule 7). */
const KNOWN_BY_ABSENCE: ReadonlySet<QuitReason> = new Set([
  'notStarted',
  'lost',
  'failoverTimeout',
]);

function quit(context: Context, reason: QuitReason): Reaction {
  const failed = KNOWN_BY_ABSENCE.has(reason);
  const sid = context.session?.sid ?? null;
  return {
    patch: {
      quitReason: reason,
      attempt: context.attempt === null ? null : attempt(context.attempt, { failed }),
      monitoring: monitoring(context, { backoff: null }),
      failover: failover(context, { hint: null }),
      deadlines: NO_DEADLINES,
    },
    emit: [{ kind: 'event', recording: context.recording, type: 'quit', sid, reason }],
  };
}

const quitBecause =
  (reason: QuitReason): Reactor =>
  (context) =>
    quit(context, reason);

export const quitNotStarted = quitBecause('notStarted');
export const quitLost = quitBecause('lost');
export const quitFailoverTimeout = quitBecause('failoverTimeout');
export const quitHaExhausted = quitBecause('haExhausted');

/**
 * Quit for the reason the evidence gives (rule 2), or that of earlier quit evidence a query
 * outranked (rule 9: old news is still evidence).
 */
export const quitOnEvidence: Reactor = (context, event, _options) => {
  const reason =
    event.type === 'notification'
      ? quitReasonOf(event.notification)
      : event.type === 'query'
        ? queryQuitReason(event.outcome)
        : null;
  const sendts = event.type === 'notification' ? event.notification.sendts : undefined;
  return quit(context, earliestQuitReason(context.outrankedQuit, reason ?? 'exited', sendts));
};

/**
 * Entering `restarting`: count the restart, pick the uid, and schedule the start after the
 * restart's delay (none: `restarting.waiting` calls at once, see `launchRestart`).
 */
export const beginRestart: Reactor = (context, event, options) => {
  const { host } = context;
  if (host === null) return NOTHING;
  const restarts = context.restarts + 1;
  const uid = uidForNextAttempt(host, context.attempt);
  const delay = restartDelay(options, restarts);
  return {
    patch: {
      restarts,
      attempt: { uid, retries: 0, resourceId: null, failed: false },
      orphans: orphansAfterGivingUp(context, context.attempt, uid),
      // A quit has cleared every deadline: without a delay there is nothing to arm.
      ...(delay > 0 && { deadlines: { ...NO_DEADLINES, startAt: event.at + delay } }),
    },
    emit: [{ kind: 'event', recording: context.recording, type: 'restarting', restarts, uid }],
  };
};

/** The restart delay is over: issue acquire+start, with the start timeout. */
export const launchRestart: Reactor = (context, event, options) => {
  const { host, attempt: current } = context;
  if (host === null || current === null) return NOTHING;
  return {
    patch: { deadlines: { ...NO_DEADLINES, startBy: event.at + options.startTimeoutMs } },
    emit: [acquireAndStart(context, host, current.uid, current.retries)],
  };
};

function fail(context: Context, reason: QuitReason): Reaction {
  return {
    patch: {
      quitReason: reason,
      deadlines: NO_DEADLINES,
      monitoring: monitoring(context, { backoff: null }),
    },
    emit: [{ kind: 'event', recording: context.recording, type: 'failed', reason }],
  };
}

export const failConfiguration: Reactor = (context, _event, _options) =>
  fail(context, 'configuration');
export const failRestartBudget: Reactor = (context, _event, _options) =>
  fail(context, 'restartBudgetExhausted');

/**
 * Ask Agora to stop the live session; check with a query if no answer settles it. While a
 * failover may be under way (a 12's deadline, or a hint less than `failoverTimeoutMs` old) its
 * deadline stays armed: until then a 404 proves nothing (rule 10).
 */
export const requestStop: Reactor = (context, event, options) => {
  if (context.session === null) return NOTHING;
  const { hint } = context.failover;
  const hintBy = hint === null ? null : hint + options.failoverTimeoutMs;
  const failoverBy =
    context.deadlines.failoverBy ?? (hintBy !== null && event.at < hintBy ? hintBy : null);
  return {
    patch: {
      deadlines: {
        ...NO_DEADLINES,
        failoverBy,
        queryAt: event.at + options.stopCheckDelayMs,
      },
    },
    emit: sessionEffect(context, 'stop'),
  };
};

/**
 * A stop before Agora named a session: wait for the start that is out (its answer, its deadline,
 * or its settle window), then stop what it made.
 */
export const awaitSession: Reactor = (context, _event, _options) => ({
  patch: {
    deadlines: {
      ...NO_DEADLINES,
      startBy: context.deadlines.startBy,
      settleBy: context.deadlines.settleBy,
    },
  },
});

/**
 * Rule 13: a previous session showed life after the recording moved on, or a start it gave up
 * showed its session. Send it a `stop` with its own resource and uid (and the sid that showed
 * life), report it, and forget it (it is stopped once).
 */
export const stopOrphan: Reactor = (context, event, _options) => {
  if (event.type !== 'orphanLife') return NOTHING;
  const orphan = orphanOf(context.orphans, event.sid, event.uid);
  if (orphan === undefined) return NOTHING;
  const { recording } = context;
  const sid = orphan.sid ?? event.sid;
  return {
    patch: { orphans: context.orphans.filter((one) => one !== orphan) },
    emit: [
      { kind: 'effect', recording, type: 'stop', ...orphan, sid },
      { kind: 'event', recording, type: 'orphanStopped', sid, uid: event.uid },
    ],
  };
};

/**
 * The stop was refused as wrong (a 40x other than `code 49`, rule 10): tell the host it is a
 * configuration error, and keep the recording supervised (queried) until quit evidence; the stop
 * is retried when the host asks again.
 */
export const reportStopRefused: Reactor = (context, event, options) => {
  if (event.type !== 'stopResult') return NOTHING;
  const { httpStatus, code } = event.outcome;
  return {
    patch: {
      monitoring: monitoring(context, { backoff: null }),
      deadlines: deadlines(context, { queryAt: event.at + options.pollIntervalMs }),
    },
    emit: [
      {
        kind: 'event',
        recording: context.recording,
        type: 'configurationError',
        operation: 'stop',
        sid: context.session?.sid ?? null,
        httpStatus,
        ...(code !== undefined && { code }),
      },
    ],
  };
};

/** The stop's answer left the outcome open: check with a query after a back-off step. */
export const checkStopLater: Reactor = (context, event, options) => {
  const backoff = nextBackoff(options, context.monitoring.backoff, 'serverError');
  return {
    patch: {
      monitoring: monitoring(context, { backoff }),
      deadlines: deadlines(context, { queryAt: event.at + backoffDelay(options, backoff) }),
    },
  };
};

/** The failover window closed while stopping: from now on a 404 means the session is gone. */
export const closeFailoverWindow: Reactor = (context, _event, _options) => ({
  patch: { deadlines: deadlines(context, { failoverBy: null }) },
});

export const concludeStopped: Reactor = (context, _event, _options) => ({
  patch: {
    quitReason: 'stopped',
    deadlines: NO_DEADLINES,
    monitoring: monitoring(context, { backoff: null }),
  },
  emit: [
    {
      kind: 'event',
      recording: context.recording,
      type: 'stopped',
      sid: context.session?.sid ?? null,
    },
  ],
});

// Helpers

/** The session runs, on its first server (`started`) or a new one (`resumed`); none without one. */
function sessionEvent(context: Context, type: 'started' | 'resumed'): readonly RecordingOutput[] {
  const { session } = context;
  if (session === null) return NONE;
  const uid = context.failover.recorder ?? session.uid;
  return [{ kind: 'event', recording: context.recording, type, sid: session.sid, uid }];
}

/** The files a session reported; none without a session (files come only from its sid). */
function filesReported(context: Context, files: readonly string[]): readonly RecordingOutput[] {
  const { session } = context;
  if (session === null) return NONE;
  return [
    { kind: 'event', recording: context.recording, type: 'filesReported', sid: session.sid, files },
  ];
}

// The lifecycle machine's vocabulary. Structural on purpose: machines import nothing of ours,
// and the core maps normalized signals onto these shapes.
import type { QUIT_REASONS } from './names.js';

/**
 * Agora's recording modes: `raw` is Individual Recording v2. A mode name recwatch does not know
 * yet is kept as it came (the lifecycle does not depend on the mode).
 */
export type Mode = 'individual' | 'mix' | 'web' | 'raw' | (string & {});

/** Why a recording quit or failed (docs/lifecycle.md). */
export type QuitReason = (typeof QUIT_REASONS)[number];

/** How a REST call ended, as the machine needs to know it. */
export interface CallResult {
  readonly kind: 'ok' | 'notFound' | 'transient' | 'rateLimited' | 'serverError' | 'clientError';
  readonly httpStatus: number | null;
  readonly code?: number;
}

/** What a `query` said. `status` and `files` come with `alive` (HTTP 200). */
export interface QueryResult {
  readonly kind: 'alive' | 'notFound' | 'transient' | 'rateLimited' | 'serverError' | 'clientError';
  readonly httpStatus: number | null;
  readonly code?: number;
  readonly status?: number;
  readonly files?: readonly { readonly fileName: string }[];
  /**
   * A web recording's own word on its recorder (`web_recorder_service` `state`): `inProgress` is
   * alive whatever `status` says, paused (`onhold`) or not (rule 1).
   */
  readonly webRecorderState?: string;
}

/** A notification for the recording's current sid, reduced to what the lifecycle reads. */
export interface RecordingNotification {
  readonly eventType: number;
  /** Recorder uid that sent it ('' when the payload had none). */
  readonly uid: string;
  /** When the event happened, by Agora's clock (ms). */
  readonly sendts: number;
  readonly exitStatus?: number;
  readonly newUid?: string;
  readonly leaveCode?: number;
  readonly errorLevel?: number;
  /** `code` of web_recorder_stopped (71). */
  readonly code?: number;
  readonly files?: readonly { readonly fileName: string }[];
  /** A callback in the format before REST API 1.3.0: its 41 has another leave-code table. */
  readonly legacy?: boolean;
  /** Older than news of its recorder already applied (it came after its successors). */
  readonly late?: boolean;
}

/** Inputs of the machine. Every event carries `at`, the time it was observed (ms). */
export type RecordingEvent =
  | {
      readonly type: 'start';
      readonly at: number;
      readonly cname: string;
      readonly uid: string;
      readonly mode: Mode;
      readonly backupUid?: string;
    }
  | {
      readonly type: 'started';
      readonly at: number;
      readonly sid: string;
      readonly resourceId: string;
      readonly uid: string;
      /** Named by the session's own notifications, not by the start's answer (rule 11). */
      readonly adopted?: boolean;
    }
  | { readonly type: 'startFailed'; readonly at: number; readonly outcome: CallResult }
  | {
      /** The shell is about to send `start` for the acquired resource (rule 12). */
      readonly type: 'startSent';
      readonly at: number;
      readonly resourceId: string;
      readonly uid: string;
    }
  | {
      /** A process opened the log, or took the recording over: what was out may be lost (rule 12). */
      readonly type: 'resumed';
      readonly at: number;
    }
  | {
      /**
       * A previous sid of the recording showed life (rule 13), or a sid no recording owns named
       * the channel and uid of a start it gave up: `uid` is the recorder's.
       */
      readonly type: 'orphanLife';
      readonly at: number;
      readonly sid: string;
      readonly uid: string;
    }
  | {
      readonly type: 'query';
      readonly at: number;
      /** When the query was sent (ms); `at` when absent. Rule 9 compares notifications with it. */
      readonly sentAt?: number;
      readonly sid: string;
      readonly outcome: QueryResult;
    }
  | {
      readonly type: 'notification';
      readonly at: number;
      readonly notification: RecordingNotification;
    }
  | { readonly type: 'tick'; readonly at: number }
  | { readonly type: 'stop'; readonly at: number }
  | { readonly type: 'stopResult'; readonly at: number; readonly outcome: CallResult };

/**
 * The session a REST call concerns, all a `query` or `stop` needs: the uid is the one the
 * session was started with (the REST body's), not the recorder's after a failover.
 */
export interface SessionCall {
  readonly sid: string;
  readonly resourceId: string;
  readonly mode: Mode;
  readonly cname: string;
  readonly uid: string;
}

/**
 * An earlier session that may still run a recorder (rule 13): one Agora named, or (`sid` null) a
 * start given up with its answer never in, known by the resource and uid it was sent with.
 */
export type Orphan = Omit<SessionCall, 'sid'> & { readonly sid: string | null };

/** What the machine asks the outside world to do, for which recording. */
export type Effect = WhichRecording &
  (
    | ({
        readonly kind: 'effect';
        readonly type: 'query';
        /** How soon the shell should send it: urgent when the lifecycle waits on its answer. */
        readonly priority: QueryPriority;
      } & SessionCall)
    | ({
        /**
         * Acquire a resource, then append `startSent` (rule 12): the chart answers it with a
         * `start` effect when the start may be sent.
         */
        readonly kind: 'effect';
        readonly type: 'acquireAndStart';
      } & StartCall)
    | ({
        /** Send `start` with the acquired resource (after its `startSent` was appended). */
        readonly kind: 'effect';
        readonly type: 'start';
        readonly resourceId: string;
      } & StartCall)
    | ({ readonly kind: 'effect'; readonly type: 'stop' } & SessionCall)
    | { readonly kind: 'effect'; readonly type: 'wakeAt'; readonly at: number }
  );

/** Which start call, and with what: the channel, uid and mode, and which start and retry it is. */
export interface StartCall {
  readonly cname: string;
  readonly uid: string;
  readonly mode: Mode;
  /** Which start: 0 for the host's, n for the n-th restart. */
  readonly restarts: number;
  /** Retries of this start so far (0 on its first call). */
  readonly retry: number;
}

/**
 * A query's urgency: `urgent` when a verdict waits on it (starting, probing, a failover, a stop,
 * a resume), `poll` for the regular check of a healthy recording.
 */
export type QueryPriority = 'urgent' | 'poll';

/** Every output names the recording it concerns. */
export interface WhichRecording {
  readonly recording: string;
}

/** What happened to the recording, for the host. */
export type DomainEvent = WhichRecording &
  (
    | {
        readonly kind: 'event';
        readonly type: 'started';
        readonly sid: string;
        readonly uid: string;
      }
    | {
        readonly kind: 'event';
        readonly type: 'failover';
        readonly sid: string;
        readonly uid: string;
        readonly haAttempts: number;
        readonly filePrefix: string;
      }
    | {
        readonly kind: 'event';
        readonly type: 'resumed';
        readonly sid: string;
        readonly uid: string;
      }
    | { readonly kind: 'event'; readonly type: 'uncertain'; readonly since: number }
    | {
        readonly kind: 'event';
        readonly type: 'quit';
        readonly sid: string | null;
        readonly reason: QuitReason;
      }
    | {
        readonly kind: 'event';
        readonly type: 'restarting';
        readonly restarts: number;
        readonly uid: string;
      }
    | {
        readonly kind: 'event';
        readonly type: 'restarted';
        readonly sid: string;
        readonly restarts: number;
      }
    | { readonly kind: 'event'; readonly type: 'stopped'; readonly sid: string | null }
    | {
        /**
         * A previous session showed life after the recording moved on: a second recorder the
         * host pays for, sent a `stop` (rule 13). Never adopted in place of the current one.
         */
        readonly kind: 'event';
        readonly type: 'orphanStopped';
        readonly sid: string;
        readonly uid: string;
      }
    | {
        /** A session whose start answer was lost was found by its notifications (rule 11). */
        readonly kind: 'event';
        readonly type: 'adopted';
        readonly sid: string;
        readonly uid: string;
      }
    | {
        /** A call refused as wrong (rule 10: a stop refused with a 40x): the host must fix it. */
        readonly kind: 'event';
        readonly type: 'configurationError';
        readonly operation: 'stop';
        readonly sid: string | null;
        readonly httpStatus: number | null;
        readonly code?: number;
      }
    | { readonly kind: 'event'; readonly type: 'failed'; readonly reason: QuitReason }
    | {
        readonly kind: 'event';
        readonly type: 'filesReported';
        readonly sid: string;
        readonly files: readonly string[];
      }
  );

/** Everything the machine emits. */
export type RecordingOutput = Effect | DomainEvent;

/** Absolute times (ms) at which something is due; null when nothing is armed. */
export interface Deadlines {
  /**
   * Evidence of life must arrive by then (rule 1), or the start response (acquiring). Null in
   * `starting` once a session is known: the deadline passed while every query went unanswered,
   * and the first answered query decides (rule 1).
   */
  readonly startBy: number | null;
  /** The failover must show life by then (rule 4). */
  readonly failoverBy: number | null;
  /** Next `query` (first query, poll, 404 probing and 50x back-off steps). */
  readonly queryAt: number | null;
  /** Next acquire+start (restart delay and start retries). */
  readonly startAt: number | null;
  /**
   * A start whose answer was lost is given up by then (rule 11's settle window): the next
   * attempt uses the other uid.
   */
  readonly settleBy: number | null;
}

/**
 * Why queries are currently backed off, and how far along the steps. `startingNotFound` is a run
 * of 404s while starting (its own steps: rule 1), `notFound` one in a live recording (rule 3).
 */
export interface Backoff {
  readonly reason: 'notFound' | 'startingNotFound' | 'serverError' | 'transient' | 'rateLimited';
  readonly step: number;
}

/** Tunables, with defaults from docs/lifecycle.md. All durations in ms. */
export interface RecordingOptions {
  readonly startTimeoutMs: number;
  readonly firstQueryDelayMs: number;
  readonly startingQueryIntervalMs: number;
  readonly pollIntervalMs: number;
  /** 404 probing in `recording` (rule 3): default 5, 10, 15, 30, 35 s, 95 s in all. */
  readonly notFoundBackoffMs: readonly number[];
  /** 404 probing in `starting` (rule 1): default 5, 10, 15 s. */
  readonly startingNotFoundBackoffMs: readonly number[];
  readonly serverErrorBackoffMs: readonly number[];
  readonly transientBackoffMs: readonly number[];
  readonly rateLimitBackoffMs: readonly number[];
  readonly failoverTimeoutMs: number;
  readonly failoverQueryIntervalMs: number;
  readonly maxHaAttempts: number;
  readonly restartBudget: number;
  readonly restartExcludedReasons: readonly QuitReason[];
  readonly restartDelaysMs: readonly number[];
  readonly startRetryServerErrorMs: readonly number[];
  readonly startRetryTransientMs: readonly number[];
  /**
   * Retries of an acquire or start refused by the App ID's concurrent-task quota (400 `code 406`,
   * rule 5): default 15, 30, 60, 120 s, then the start has failed (`notStarted`).
   */
  readonly startRetryQuotaMs: readonly number[];
  readonly stopCheckDelayMs: number;
  /** Rule 11: how long a start whose answer was lost may still show its session (ms). */
  readonly settleStartMs: number;
}

/** What the host's `start` named: the channel, the mode, and the two uids to alternate. */
export interface Host {
  readonly cname: string;
  readonly mode: Mode;
  /** The uid the host asked for. */
  readonly primaryUid: string;
  /** The uid to alternate with when a start attempt fails (the host's, or derived). */
  readonly backupUid: string;
}

/**
 * The start attempt in progress, or the last one: which uid, its retries, and the resource its
 * start was sent with. Whether a call is out is the state value's to say (`acquiring`, `sent`,
 * `settling`), never a flag here.
 */
export interface StartAttempt {
  readonly uid: string;
  readonly retries: number;
  /** The resource of the start sent for this attempt (`startSent`), or null before one. */
  readonly resourceId: string | null;
  /**
   * Whether the next start must use the other uid: this attempt failed, or its session's quit
   * was known only by absence (its recorder may still be in the channel; rule 7).
   */
  readonly failed: boolean;
}

/**
 * The session Agora named (`started`), all a `query` or `stop` needs: effects are built only
 * from one, so none carries an empty sid or resourceId. The uid is the one the session was
 * started with (the REST body's), not the recorder's after a failover.
 */
export type Session = SessionCall;

/** Rule 4's memory of the current session's failovers. */
export interface Failover {
  /** Failovers the session has had (evidence of them, capped at `maxHaAttempts`). */
  readonly haAttempts: number;
  /** `bak<n>_` of the current playlist; '' before any failover. */
  readonly filePrefix: string;
  /** The recorder's uid when a failover moved it; null: the session's own uid (see `recorderUid`). */
  readonly recorder: string | null;
  /**
   * When (Agora's `sendts`) the evidence that made `recorder` the current recorder happened, or
   * null: older news of another recorder never replaces it (the latest uid is the latest in time).
   */
  readonly recorderSince: number | null;
  /** Recorder uids the session has shown besides its own, first seen first (rule 4's evidence). */
  readonly newRecorders: readonly string[];
  /** When an ambiguous leave (41) or fatal error (1) made a failover plausible; null otherwise. */
  readonly hint: number | null;
}

/** What the latest query of a recording said. */
export interface LastQuery {
  /** When its answer was observed (ms). */
  readonly at: number;
  /** When it was sent (ms), when the record said; else read as `at` (rule 9). */
  readonly sentAt?: number;
  /** How it was read: `alive` (a 200 with a status) or the kind of failure. */
  readonly kind: QueryResult['kind'];
  /** The HTTP status, or null when no response came. */
  readonly httpStatus: number | null;
  /** Agora's `status` of a 200 (0..8, 20), else null. */
  readonly status: number | null;
  /** A web recording's `web_recorder_service` state, when the answer named one. */
  readonly webRecorderState?: string;
}

/** What the latest answers left in doubt, and how queries back off. */
export interface Monitoring {
  /** Since when the picture has been uncertain (50x, 206, 429, no response); null when sure. */
  readonly uncertainSince: number | null;
  /** Why queries are backed off, and how far along; null when they are not. */
  readonly backoff: Backoff | null;
  /**
   * Whether a query of the current session has had an answer (a 200, a 404, anything but 50x,
   * 206, 429 or no response). Rule 1: `notStarted` needs one.
   */
  readonly answered: boolean;
}

/**
 * The earliest quit evidence of the current session that a query outranked (rule 9): not acted
 * on, but a quit confirmed later takes its reason.
 */
export interface OutrankedQuit {
  readonly reason: QuitReason;
  /** When it happened, by Agora's clock (ms). */
  readonly sendts: number;
}

/**
 * What the machine knows about one supervised recording, grouped by what it concerns. A group
 * is null until it exists (no `host` in idle, no `session` before a sid); groups that did not
 * change are shared between steps (and their empty forms between recordings). JSON-serializable.
 */
export interface RecordingContext {
  readonly recording: string;
  /** What the host's `start` named; null in idle. */
  readonly host: Host | null;
  readonly attempt: StartAttempt | null;
  /** The current session; null until a `started` named a sid (it stays after a quit). */
  readonly session: Session | null;
  readonly failover: Failover;
  readonly monitoring: Monitoring;
  readonly lastQuery: LastQuery | null;
  readonly outrankedQuit: OutrankedQuit | null;
  readonly deadlines: Deadlines;
  /** Restarts so far (rule 7). */
  readonly restarts: number;
  readonly quitReason: QuitReason | null;
  /** The latest file names reported, newest last, at most `MAX_FILES`. */
  readonly files: readonly string[];
  /** The sids of earlier sessions, oldest first. */
  readonly previousSids: readonly string[];
  /**
   * Earlier sessions that may still run a recorder, oldest first: what a `stop` of an orphan
   * needs (rule 13). A session leaves once it was sent its stop. A start given up before Agora
   * named its session (rule 11's settle window passed) is one with `sid` null: a sid no recording
   * owns that names its channel and uid is its session (rule 13's last sentence).
   */
  readonly orphans: readonly Orphan[];
  /** When the machine last acted on an event (ms); null before the first. */
  readonly updatedAt: number | null;
}

/**
 * What the machine is created with. The host's options are configuration, not state: they are
 * an argument of every step (`stepRecording`) or of the machine (`createRecordingMachine`).
 */
export interface RecordingInput {
  readonly recording: string;
}

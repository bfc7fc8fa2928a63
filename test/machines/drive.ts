// A small driver for machine tests: feed events, collect outputs, read the state.
import {
  createRecording,
  lifecycleState,
  type RecordingEvent,
  type RecordingNotification,
  type RecordingOptions,
  type RecordingOutput,
  type RecordingSnapshot,
  recorderUid,
  resolveOptions,
  stepRecording,
} from '../../machines/index.js';

export const SID = 'S1';
export const UID = '1001';
export const T0 = 1_700_000_000_000;

export class Recording {
  snapshot: RecordingSnapshot;
  outputs: RecordingOutput[] = [];

  /** The host's options, given to every step. */
  readonly options: RecordingOptions;

  constructor(options: Partial<RecordingOptions> = {}) {
    this.snapshot = createRecording({ recording: 'r1' });
    this.options = resolveOptions(options);
  }

  /** Feeds events; returns the outputs of these events only. */
  send(...events: RecordingEvent[]): RecordingOutput[] {
    const emitted: RecordingOutput[] = [];
    for (const event of events) {
      const step = stepRecording(this.snapshot, event, this.options);
      this.snapshot = step.snapshot;
      emitted.push(...step.outputs);
    }
    this.outputs.push(...emitted);
    return emitted;
  }

  get state() {
    return lifecycleState(this.snapshot);
  }

  get value() {
    return this.snapshot.value;
  }

  get context() {
    return this.snapshot.context;
  }

  /** The session as the picture shows it: sid, recorder uid, failovers, playlist prefix. */
  get session() {
    const { context } = this.snapshot;
    return {
      sid: context.session?.sid ?? null,
      uid: recorderUid(context),
      haAttempts: context.failover.haAttempts,
      filePrefix: context.failover.filePrefix,
    };
  }

  /** Events (domain) of a type emitted so far. */
  events(type: string) {
    return this.outputs.filter((o) => o.kind === 'event' && o.type === type);
  }

  effects(type: string) {
    return this.outputs.filter((o) => o.kind === 'effect' && o.type === type);
  }
}

/** Event builders with realistic defaults; `at` is ms after T0. */
export const at = (seconds: number) => T0 + seconds * 1000;

export const start = (s = 0): RecordingEvent => ({
  type: 'start',
  at: at(s),
  cname: 'room1',
  uid: UID,
  mode: 'mix',
});

export const started = (s: number, sid = SID, uid = UID): RecordingEvent => ({
  type: 'started',
  at: at(s),
  sid,
  resourceId: `R-${sid}`,
  uid,
});

/** The shell is about to send `start` (rule 12): the acquire answered with `R-<sid>`. */
export const startSent = (s: number, uid = UID, sid = SID): RecordingEvent => ({
  type: 'startSent',
  at: at(s),
  resourceId: `R-${sid}`,
  uid,
});

/** A process opened the log again (rule 12). */
export const resumed = (s: number): RecordingEvent => ({ type: 'resumed', at: at(s) });

export const startFailed = (
  s: number,
  httpStatus: number | null,
  code?: number,
): RecordingEvent => ({
  type: 'startFailed',
  at: at(s),
  outcome: {
    kind:
      httpStatus === null || httpStatus >= 500
        ? 'serverError'
        : httpStatus === 206
          ? 'transient'
          : httpStatus === 429
            ? 'rateLimited'
            : 'clientError',
    httpStatus,
    ...(code !== undefined && { code }),
  },
});

export const alive = (
  s: number,
  status: number,
  sid = SID,
  files: string[] = [],
): RecordingEvent => ({
  type: 'query',
  at: at(s),
  sid,
  outcome: {
    kind: 'alive',
    httpStatus: 200,
    status,
    files: files.map((fileName) => ({ fileName })),
  },
});

export const queryFails = (
  s: number,
  kind: 'notFound' | 'serverError' | 'transient' | 'rateLimited' | 'clientError',
  sid = SID,
): RecordingEvent => ({
  type: 'query',
  at: at(s),
  sid,
  outcome: {
    kind,
    httpStatus: {
      notFound: 404,
      serverError: 503,
      transient: 206,
      rateLimited: 429,
      clientError: 401,
    }[kind],
  },
});

export const notify = (
  s: number,
  eventType: number,
  extra: Partial<RecordingNotification> = {},
): RecordingEvent => ({
  type: 'notification',
  at: at(s),
  notification: { eventType, uid: UID, sendts: at(s) - 50, ...extra },
});

export const tick = (s: number): RecordingEvent => ({ type: 'tick', at: at(s) });
export const stop = (s: number): RecordingEvent => ({ type: 'stop', at: at(s) });

export const stopResult = (
  s: number,
  kind: 'ok' | 'notFound' | 'serverError' | 'clientError',
  code?: number,
): RecordingEvent => ({
  type: 'stopResult',
  at: at(s),
  outcome: {
    kind,
    httpStatus: { ok: 200, notFound: 404, serverError: 500, clientError: 400 }[kind],
    ...(code !== undefined && { code }),
  },
});

/** A recording confirmed alive at t=6 s, with sid S1. */
export function recordingAlive(options: Partial<RecordingOptions> = {}): Recording {
  const r = new Recording(options);
  r.send(start(0), started(1), tick(6), alive(6, 5));
  return r;
}

/** When the outputs ask to be woken: the last `wakeAt`, or undefined. */
export function wakeAt(outputs: readonly RecordingOutput[]): number | undefined {
  const wakes = outputs.filter((o) => o.kind === 'effect' && o.type === 'wakeAt');
  const last = wakes.at(-1);
  return last?.type === 'wakeAt' ? last.at : undefined;
}

/** What a `query` or `stop` effect of a session started by `start` and `started` carries. */
export const session = (sid = SID) => ({
  sid,
  resourceId: `R-${sid}`,
  mode: 'mix' as const,
  cname: 'room1',
  uid: UID,
});

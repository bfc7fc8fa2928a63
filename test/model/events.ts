// Realistic events for any snapshot of the lifecycle machine: what Agora, the host and the clock
// could send next. Times follow the machine's own deadlines so paths move forward in time.
import {
  nextWake,
  type RecordingEvent,
  type RecordingNotification,
  type RecordingSnapshot,
  recorderUid,
} from '../../machines/index.js';

export const T0 = 1_700_000_000_000;
export const HOST_UID = '1001';

/** "Now" for a snapshot: a second after its last change, and always before its next deadline. */
export function nowOf(snapshot: Pick<RecordingSnapshot, 'context'>): number {
  const soon = (snapshot.context.updatedAt ?? T0) + 1000;
  const wake = nextWake(snapshot.context.deadlines);
  return wake === null ? soon : Math.min(soon, wake - 1);
}

/** The start's answer naming the attempt's session. */
function started(context: RecordingSnapshot['context'], at: number) {
  return {
    type: 'started' as const,
    at,
    sid: `S${context.restarts + 1}`,
    resourceId: `R${context.restarts + 1}`,
    uid: context.attempt?.uid ?? HOST_UID,
  };
}

export function eventsFor(snapshot: Pick<RecordingSnapshot, 'context'>): RecordingEvent[] {
  const context = snapshot.context;
  const at = nowOf(snapshot);
  const attemptUid = context.attempt?.uid ?? HOST_UID;
  const sid = context.session?.sid ?? 'S1';
  const uid = recorderUid(context) ?? HOST_UID;
  // The sid's first recorder: after a failover, news from the recorder that was moved away.
  const firstRecorder = context.session?.uid ?? uid;
  const notification = (
    eventType: number,
    extra: Partial<RecordingNotification> = {},
  ): RecordingEvent => ({
    type: 'notification',
    at,
    notification: { eventType, uid, sendts: at - 40, ...extra },
  });
  // Sent a moment before its answer came (rule 9 compares notifications with when it was sent).
  const query = (
    outcome: Extract<RecordingEvent, { type: 'query' }>['outcome'],
  ): RecordingEvent => ({
    type: 'query',
    at,
    sentAt: at - 300,
    sid,
    outcome,
  });
  // A tick at each armed deadline, not only the earliest: a timer may fire late, or the host
  // may have been down, so a later deadline can come due first.
  const ticks = [...new Set(Object.values(context.deadlines).filter((d) => d !== null))].map(
    (due): RecordingEvent => ({ type: 'tick', at: due }),
  );
  return [
    { type: 'start', at, cname: 'room-7781', uid: HOST_UID, mode: 'individual' },
    started(context, at),
    { ...started(context, at), adopted: true },
    // The acquire answered: the shell is about to send the start (rule 12); or a late one of an
    // attempt the chart has given up.
    { type: 'startSent', at, resourceId: `R${context.restarts + 1}`, uid: attemptUid },
    { type: 'startSent', at, resourceId: 'R-late', uid: 'late-uid' },
    { type: 'resumed', at },
    ...context.orphans.map(
      (orphan): RecordingEvent => ({
        type: 'orphanLife',
        at,
        // A start given up (rule 13): its session shows a sid nobody had named.
        sid: orphan.sid ?? `S-given-up-${orphan.resourceId}`,
        uid: orphan.uid,
      }),
    ),
    { type: 'startFailed', at, outcome: { kind: 'serverError', httpStatus: 503 } },
    { type: 'startFailed', at, outcome: { kind: 'serverError', httpStatus: null } },
    { type: 'startFailed', at, outcome: { kind: 'rateLimited', httpStatus: 429 } },
    { type: 'startFailed', at, outcome: { kind: 'transient', httpStatus: 206, code: 65 } },
    { type: 'startFailed', at, outcome: { kind: 'clientError', httpStatus: 401 } },
    { type: 'startFailed', at, outcome: { kind: 'clientError', httpStatus: 400, code: 53 } },
    // The App ID's concurrent-task quota: a quota answer, retried (rule 5).
    { type: 'startFailed', at, outcome: { kind: 'rateLimited', httpStatus: 400, code: 406 } },
    query({ kind: 'alive', httpStatus: 200, status: 2, files: [] }),
    query({
      kind: 'alive',
      httpStatus: 200,
      status: 5,
      files: [{ fileName: `${context.failover.filePrefix}${sid}_room-7781.m3u8` }],
    }),
    // A paused web recorder: status 0, but its own state says it records (rule 1).
    query({ kind: 'alive', httpStatus: 200, status: 0, files: [], webRecorderState: 'inProgress' }),
    query({ kind: 'alive', httpStatus: 200, status: 8 }),
    query({ kind: 'alive', httpStatus: 200, status: 20 }),
    query({ kind: 'notFound', httpStatus: 404, code: 404 }),
    query({ kind: 'serverError', httpStatus: null }),
    query({ kind: 'transient', httpStatus: 206, code: 65 }),
    query({ kind: 'rateLimited', httpStatus: 429 }),
    query({ kind: 'clientError', httpStatus: 401 }),
    notification(40),
    notification(43, { uid: 'stranger' }),
    notification(4, {
      uid: firstRecorder,
      files: [{ fileName: `${context.failover.filePrefix}${sid}_room-7781_audio.m3u8` }],
    }),
    notification(11, { exitStatus: 0 }),
    notification(11, { exitStatus: 1 }),
    notification(31),
    notification(41, { leaveCode: 4 }),
    notification(41, { leaveCode: 2, uid: firstRecorder }),
    notification(1, { errorLevel: 5 }),
    notification(12, { newUid: `U${context.failover.haAttempts + 2}` }),
    notification(71, { code: 1 }),
    ...ticks,
    { type: 'stop', at },
    { type: 'stopResult', at, outcome: { kind: 'ok', httpStatus: 200 } },
    { type: 'stopResult', at, outcome: { kind: 'notFound', httpStatus: 404, code: 404 } },
    { type: 'stopResult', at, outcome: { kind: 'serverError', httpStatus: 500 } },
    { type: 'stopResult', at, outcome: { kind: 'clientError', httpStatus: 401 } },
  ];
}

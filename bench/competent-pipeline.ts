// What a competent user would build around XState to do the core's work, fed the same raw trace
// records as the core: a zod parse of each notification, a Map dedupe by noticeId, a small
// reorder buffer per recorder stream, routing by sid, one XState actor per recording, ticks to
// the recordings whose deadline is due. The baseline the `core` and `replay` rows race.
import { type AnyActorRef, createActor } from 'xstate';
import { z } from 'zod';
import {
  nextWake,
  type RecordingEvent,
  type RecordingNotification,
  type RecordingSnapshot,
} from '../machines/index.js';
import { toRecordingEvent } from '../src/core/machine-events.js';
import { MAX_TICK_ROUNDS } from '../src/core/step.js';
import { fileList } from '../src/signals/files.js';
import { normalizeInput } from '../src/signals/index.js';
import { orderMatters } from '../src/stream/index.js';
import { plainAssignMachine } from './xstate-baselines.js';

const detailsSchema = z
  .object({
    exitStatus: z.number().optional(),
    newUid: z.union([z.string(), z.number()]).optional(),
    leaveCode: z.number().optional(),
    errorLevel: z.number().optional(),
    code: z.number().optional(),
    fileList: fileList.optional(),
  })
  .passthrough();

const bodySchema = z.object({
  noticeId: z.string(),
  productId: z.number(),
  eventType: z.number(),
  notifyMs: z.number(),
  payload: z.object({
    cname: z.string(),
    uid: z.union([z.string(), z.number()]).transform(String),
    sid: z.string(),
    sequence: z.number(),
    sendts: z.number(),
    serviceType: z.number().optional(),
    details: detailsSchema,
  }),
});

type Body = z.infer<typeof bodySchema>;

interface Held {
  readonly at: number;
  readonly body: Body;
}

interface Stream {
  next: number;
  held: Held[];
}

const HOLD_MS = 2_000;
const DEDUPE_MS = 10 * 60_000;

/** The machine's view of a notification, as the user would extract it. */
function machineNotification(body: Body, late: boolean): RecordingNotification {
  const { eventType, payload } = body;
  const out: Record<string, unknown> = { eventType, uid: payload.uid, sendts: payload.sendts };
  const d = payload.details;
  if (eventType === 11 && d.exitStatus !== undefined) out.exitStatus = d.exitStatus;
  if (eventType === 12 && d.newUid !== undefined) out.newUid = String(d.newUid);
  if (eventType === 41 && d.leaveCode !== undefined) out.leaveCode = d.leaveCode;
  if (eventType === 1 && d.errorLevel !== undefined) out.errorLevel = d.errorLevel;
  if (eventType === 71 && d.code !== undefined) out.code = d.code;
  if ([3, 4, 31, 32, 71].includes(eventType) && d.fileList !== undefined) out.files = d.fileList;
  if (late) out.late = true;
  return out as unknown as RecordingNotification;
}

/**
 * Runs the pipeline over raw trace records; returns each recording's final snapshot (value and
 * context), to be checked against the core's.
 */
export function runCompetentPipeline(records: Iterable<unknown>): Map<string, RecordingSnapshot> {
  const pipeline = competentPipeline();
  for (const record of records) pipeline.input(record);
  return pipeline.finals();
}

/** The pipeline as a stepper: `input` one record at a time, `finals` at the end. */
export function competentPipeline(): {
  input(record: unknown): void;
  finals(): Map<string, RecordingSnapshot>;
} {
  const actors = new Map<string, AnyActorRef>();
  const owners = new Map<string, string>();
  const waiting = new Map<string, Held[]>();
  const seen = new Map<string, number>();
  const streams = new Map<string, Stream>();
  let now = 0;
  let pruned = 0;

  const send = (recording: string, event: RecordingEvent) => {
    actors.get(recording)?.send(event);
  };
  const current = (recording: string) =>
    (actors.get(recording)?.getSnapshot() as RecordingSnapshot | undefined)?.context.session?.sid;
  const route = (held: Held, at: number, late: boolean) => {
    const { sid } = held.body.payload;
    const recording = owners.get(sid);
    if (recording === undefined) {
      const list = waiting.get(sid);
      if (list === undefined) waiting.set(sid, [held]);
      else list.push(held);
      return;
    }
    if (current(recording) !== sid) return; // a previous sid: stale
    send(recording, {
      type: 'notification',
      at,
      notification: machineNotification(held.body, late),
    });
  };
  const drain = (stream: Stream, at: number) => {
    stream.held.sort((a, b) => a.body.payload.sequence - b.body.payload.sequence);
    while (stream.held[0]?.body.payload.sequence === stream.next) {
      const first = stream.held.shift() as Held;
      stream.next += 1;
      route(first, at, false);
    }
  };
  const offer = (held: Held, at: number) => {
    const { payload } = held.body;
    const key = `${payload.sid}\u0000${payload.uid}`;
    let stream = streams.get(key);
    if (stream === undefined) {
      stream = { next: payload.sequence, held: [] };
      streams.set(key, stream);
    }
    if (!orderMatters(held.body)) {
      if (payload.sequence >= stream.next && stream.held.length === 0)
        stream.next = payload.sequence + 1;
      route(held, at, false);
      return;
    }
    if (payload.sequence < stream.next) {
      route(held, at, true);
      return;
    }
    if (payload.sequence === stream.next && stream.held.length === 0) {
      stream.next += 1;
      route(held, at, false);
      return;
    }
    stream.held.push(held);
    drain(stream, at);
  };
  const tick = (at: number) => {
    for (const stream of streams.values()) {
      if (stream.held.length === 0) continue;
      const oldest = Math.min(...stream.held.map((h) => h.at));
      if (oldest + HOLD_MS > at) continue;
      // The gap is given up: the held ones go in order.
      stream.next = Math.min(...stream.held.map((h) => h.body.payload.sequence));
      drain(stream, at);
    }
    if (at - pruned >= 60_000) {
      pruned = at;
      for (const [key, when] of seen) {
        if (when + DEDUPE_MS > at) break;
        seen.delete(key);
      }
    }
    for (const [recording, actor] of actors) {
      for (let round = 0; round < MAX_TICK_ROUNDS; round += 1) {
        const snapshot = actor.getSnapshot() as RecordingSnapshot;
        const wake = snapshot.status === 'active' ? nextWake(snapshot.context.deadlines) : null;
        if (wake === null || wake > at) break;
        send(recording, { type: 'tick', at });
      }
    }
  };

  const input = (record: unknown): void => {
    const r = record as { type?: unknown; at: number; body?: unknown };
    if (r.type === 'notification') {
      const parsed = bodySchema.safeParse(r.body);
      if (!parsed.success) return;
      const body = parsed.data;
      if (seen.has(body.noticeId)) return;
      seen.set(body.noticeId, r.at);
      const at = Math.max(now, r.at);
      offer({ at, body }, at);
      return;
    }
    // Host-built records: read as the host reads them.
    const signal = normalizeInput(record);
    if (!signal.ok) return;
    const value = signal.value;
    const at = Math.max(now, value.at);
    now = at;
    if (value.type === 'tick') {
      tick(at);
      return;
    }
    if (value.type === 'notification' || value.type === 'options' || value.type === 'resumed')
      return;
    const recording = value.recording;
    if (value.type === 'start' && !actors.has(recording))
      actors.set(recording, createActor(plainAssignMachine, { input: { recording } }).start());
    if (!actors.has(recording)) return;
    if (value.type === 'query' && current(recording) !== value.sid) return;
    send(recording, { ...toRecordingEvent(value), at } as RecordingEvent);
    if (value.type === 'started' && current(recording) === value.sid) {
      owners.set(value.sid, recording);
      const list = waiting.get(value.sid);
      if (list !== undefined) {
        waiting.delete(value.sid);
        for (const held of list) route(held, at, false);
      }
    }
  };
  const finals = () => {
    const out = new Map<string, RecordingSnapshot>();
    for (const [recording, actor] of actors)
      out.set(recording, actor.getSnapshot() as RecordingSnapshot);
    return out;
  };
  return { input, finals };
}

/** Recordings whose final state (value and context) differs from `expected`'s. */
export function differingFinals(
  got: ReadonlyMap<string, RecordingSnapshot>,
  expected: Iterable<[string, RecordingSnapshot]>,
): string[] {
  const differing: string[] = [];
  for (const [recording, snapshot] of expected) {
    const mine = got.get(recording);
    const same =
      mine !== undefined &&
      JSON.stringify(mine.value) === JSON.stringify(snapshot.value) &&
      JSON.stringify(mine.context) === JSON.stringify(snapshot.context);
    if (!same) differing.push(recording);
  }
  return differing;
}

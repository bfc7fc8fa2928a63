import { z } from 'zod';
import { type CallOutcome, classifyCall } from './call-outcome.js';
import { jsonShapeProblem } from './json-shape.js';
import { idLike } from './liberal.js';
import { isModeName, MODE_PROBLEM, type RecordingMode } from './mode.js';
import { type Notification, parseNotification } from './notification.js';
import { classifyQuery, type QueryOutcome } from './query-outcome.js';
import { readRecordFast } from './record-fast.js';
import { fail, fromZod, type ParseIssue, type ParseResult, unreadable } from './result.js';
import { isTime, TIME_PROBLEM } from './time.js';

export type { RecordingMode } from './mode.js';

/**
 * One record of a trace (format v1): an input exactly as recwatch received it, with the time it
 * was observed. This is what the event log stores and `recwatch replay` reads.
 */
export type TraceRecord =
  | {
      readonly at: number;
      readonly type: 'start';
      readonly recording: string;
      readonly cname: string;
      readonly uid: string;
      readonly mode: RecordingMode;
      readonly backupUid?: string;
    }
  | {
      readonly at: number;
      readonly type: 'started';
      readonly recording: string;
      readonly resourceId: string;
      readonly sid: string;
      readonly uid: string;
      /** When the start call was sent (ms). */
      readonly sentAt?: number;
    }
  | CallRecord<'startFailed'>
  | (CallRecord<'query'> & { readonly sid: string })
  | (CallRecord<'stopResult'> & { readonly sid?: string })
  | { readonly at: number; readonly type: 'notification'; readonly body: unknown }
  | { readonly at: number; readonly type: 'tick' }
  | { readonly at: number; readonly type: 'stop'; readonly recording: string }
  | {
      /** The shell is about to send `start` with this resource and uid (rule 12). */
      readonly at: number;
      readonly type: 'startSent';
      readonly recording: string;
      readonly resourceId: string;
      readonly uid: string;
    }
  | {
      /** A process opened the log (every recording), or took `recording` over (rule 12). */
      readonly at: number;
      readonly type: 'resumed';
      readonly recording?: string;
    }
  | {
      /**
       * The options every later decision reads, in full (the core checks their shape): recorded
       * when a host opens the log with options other than the log's, or changes them (rule 12).
       */
      readonly at: number;
      readonly type: 'options';
      readonly options: Readonly<Record<string, unknown>>;
    };

interface CallRecord<T extends string> {
  readonly at: number;
  readonly type: T;
  /**
   * When the call was sent (ms); `at` when absent. Rule 9 compares a notification's `sendts`
   * with a query's `sentAt`: its answer describes that moment. One later than `at` (a clock
   * that stepped back between the call and its answer) is read as `at`.
   */
  readonly sentAt?: number;
  readonly recording: string;
  /** null when the call got no response (transport error, timeout). */
  readonly httpStatus: number | null;
  readonly body: unknown;
}

/** The kinds of trace records. */
export type TraceRecordType = TraceRecord['type'];

/** A trace record normalized: bodies parsed and classified, ready for the core. */
export type Signal =
  | Extract<
      TraceRecord,
      { type: 'start' | 'started' | 'tick' | 'stop' | 'startSent' | 'resumed' | 'options' }
    >
  | {
      readonly at: number;
      readonly type: 'startFailed';
      readonly recording: string;
      readonly outcome: CallOutcome;
    }
  | {
      readonly at: number;
      readonly type: 'query';
      readonly sentAt?: number;
      readonly recording: string;
      readonly sid: string;
      readonly outcome: QueryOutcome;
    }
  | {
      readonly at: number;
      readonly type: 'stopResult';
      readonly recording: string;
      /** The session whose stop this answers, when the record names it. */
      readonly sid?: string;
      readonly outcome: CallOutcome;
    }
  | { readonly at: number; readonly type: 'notification'; readonly notification: Notification };

const at = z.number().refine(isTime, TIME_PROBLEM);
const name = z.string().min(1);
/**
 * An HTTP status as a response carries it (a whole number 100..599, also written as numeric
 * text: `"404"`), or null: no response came. 0 (curl's `000`) says no response came too.
 */
const httpStatus = z
  .union([
    z.number(),
    z
      .string()
      .regex(/^\s*\d+\s*$/, 'expected a status code')
      .transform(Number),
  ])
  .pipe(z.union([z.literal(0).transform(() => null), z.number().int().min(100).max(599)]))
  .nullable();
const sentAt = at.optional();
const mode = z.string().refine(isModeName, MODE_PROBLEM);
/** The trace record schema: liberal readings and error messages (record-fast.ts has the common case). */
export const recordSchema = z.discriminatedUnion('type', [
  z.object({
    at,
    type: z.literal('start'),
    recording: name,
    cname: name,
    uid: idLike,
    mode,
    backupUid: idLike.optional(),
  }),
  z.object({
    at,
    sentAt,
    type: z.literal('started'),
    recording: name,
    resourceId: name,
    sid: name,
    uid: idLike,
  }),
  z.object({
    at,
    sentAt,
    type: z.literal('startFailed'),
    recording: name,
    httpStatus,
    body: z.unknown(),
  }),
  z.object({
    at,
    sentAt,
    type: z.literal('query'),
    recording: name,
    sid: name,
    httpStatus,
    body: z.unknown(),
  }),
  z.object({
    at,
    sentAt,
    type: z.literal('stopResult'),
    recording: name,
    sid: name.optional(),
    httpStatus,
    body: z.unknown(),
  }),
  z.object({ at, type: z.literal('notification'), body: z.unknown() }),
  z.object({ at, type: z.literal('tick') }),
  z.object({ at, type: z.literal('stop'), recording: name }),
  z.object({
    at,
    type: z.literal('startSent'),
    recording: name,
    resourceId: name,
    uid: idLike,
  }),
  z.object({ at, type: z.literal('resumed'), recording: name.optional() }),
  z.object({ at, type: z.literal('options'), options: z.record(z.string(), z.unknown()) }),
]);

/**
 * Validates one trace record (unknown fields are ignored).
 * @example parseTraceRecord({ at: 1700000090000, type: 'tick' }) // { ok: true, value: { at: ..., type: 'tick' } }
 */
export function parseTraceRecord(raw: unknown): ParseResult<TraceRecord> {
  // Never throws (throwing getters, proxies): as `guarded`, without a closure per input.
  try {
    // Before anything walks it: a value that cannot be JSON is refused here, not in a snapshot.
    const shape = jsonShapeProblem(raw);
    if (shape !== undefined) return fail(shape.path, 'not_json', shape.problem);
    const fast = readRecordFast(raw);
    if (fast !== undefined) return { ok: true, value: fast };
    const parsed = recordSchema.safeParse(raw);
    if (!parsed.success) return { ok: false, error: fromZod(parsed.error) };
    return { ok: true, value: parsed.data as TraceRecord };
  } catch (error) {
    return unreadable(error);
  }
}

/**
 * Normalizes a raw input into a signal: validates the record, parses the notification body,
 * classifies call and query responses. A rejection says why, naming the path.
 * @example
 * const signal = normalizeInput({ at: 5000, type: 'query', recording: 'r1', sid: 'S1', httpStatus: 404, body: { code: 404 } });
 * // { ok: true, value: { type: 'query', ..., outcome: { kind: 'notFound', httpStatus: 404, code: 404 } } }
 */
export function normalizeInput(raw: unknown): ParseResult<Signal> {
  const record = parseTraceRecord(raw);
  if (!record.ok) return record;
  return normalizeRecord(record.value);
}

/**
 * Normalizes a validated trace record (what `parseTraceRecord` gave, which has checked that a
 * body given as a value is JSON-shaped): the second half of `normalizeInput`, for callers that
 * keep the record too.
 * @example
 * const record = parseTraceRecord(raw);
 * const signal = record.ok ? normalizeRecord(record.value) : record;
 */
export function normalizeRecord(record: TraceRecord): ParseResult<Signal> {
  const signal = normalizeShape(record);
  if (!signal.ok || !('body' in record)) return signal;
  // A body received as text or bytes is parsed here: what it held must be JSON-shaped too. A
  // body received as a value was walked with its record (`parseTraceRecord`): not walked again.
  if (typeof record.body !== 'string' && !(record.body instanceof Uint8Array)) return signal;
  const shape = jsonShapeProblem(signal.value);
  return shape === undefined ? signal : fail('body', 'not_json', shape.problem);
}

function normalizeShape(record: TraceRecord): ParseResult<Signal> {
  switch (record.type) {
    case 'notification': {
      const parsed = parseNotification(record.body);
      if (!parsed.ok) return prefixed(parsed.error.issues, 'body');
      return {
        ok: true,
        value: { at: record.at, type: 'notification', notification: parsed.value },
      };
    }
    case 'query': {
      const outcome = classifyQuery(record.httpStatus, record.body);
      const { at, sentAt, recording, sid } = record;
      const type = 'query' as const;
      if (sentAt === undefined) return { ok: true, value: { at, type, recording, sid, outcome } };
      // An answer cannot come before its call: a later sentAt is a clock that stepped back.
      const sent = Math.min(sentAt, at);
      return { ok: true, value: { at, type, recording, sid, outcome, sentAt: sent } };
    }
    case 'startFailed':
    case 'stopResult': {
      const outcome = classifyCall(record.httpStatus, record.body);
      if (record.type === 'startFailed' && outcome.kind === 'ok') {
        return fail('httpStatus', 'invalid_value', 'a failed start cannot have status 200');
      }
      const { at, type, recording } = record;
      if (record.type === 'stopResult' && record.sid !== undefined) {
        return { ok: true, value: { at, type, recording, sid: record.sid, outcome } };
      }
      return { ok: true, value: { at, type, recording, outcome } };
    }
    default:
      return { ok: true, value: record };
  }
}

function prefixed(issues: readonly ParseIssue[], prefix: string): ParseResult<never> {
  const shifted = issues.map((issue) => ({
    ...issue,
    path: issue.path.startsWith('(') ? prefix : `${prefix}.${issue.path}`,
  }));
  const first = shifted[0] ?? { path: prefix, problem: 'invalid' };
  return { ok: false, error: { message: `${first.path}: ${first.problem}`, issues: shifted } };
}

import { z } from 'zod';
import { readDetailsFast } from './details-fast.js';
import { type EnvelopeFields, readEnvelopeFields } from './envelope-fast.js';
import {
  EVENT_DETAILS,
  EVENT_NAMES,
  type EventDetails,
  isKnownEventType,
  type KnownEventType,
} from './event-details.js';
import { anyObject, countLike, idLike, lenient, numberLike, timeLike } from './liberal.js';
import { fail, fromZod, type ParseResult, unreadable } from './result.js';

/** The fields every notification has once normalized, whatever envelope it came in. */
export interface NotificationBase {
  /** `noticeId`, or the legacy `notificationId`. */
  readonly noticeId: string;
  readonly eventType: number;
  /** Agora's `msgName` for the event type, or `details.msgName` for unknown ones. */
  readonly eventName: string;
  readonly sid: string;
  /** Recorder uid that sent it: changes on failover. */
  readonly uid: string;
  readonly cname: string;
  /** Per-session counter from 0; legacy string sequences are read as numbers. */
  readonly sequence: number;
  /** When the event happened (ms); `notifyMs` when a payload lacks `sendts`. */
  readonly sendts: number;
  /** When this copy was sent (ms): changes on every resend. */
  readonly notifyMs?: number;
  readonly productId?: number;
  readonly serviceType?: number;
  /**
   * Which service sent it, when the notification says: `rtsc/raw-recording` for Individual
   * Recording v2 (mode `raw`), `rtc_record` for the older ones (Agora's 2026 documentation;
   * docs/lifecycle.md). Read from the payload, else the envelope; informative only (the
   * lifecycle does not depend on the mode).
   */
  readonly serviceScene?: string;
  /**
   * A callback in the format before REST API 1.3.0 (`notificationId`, or `eventMs` without
   * `productId`): its 41 reads with the legacy leave-code table.
   */
  readonly legacy: boolean;
}

/** A notification of an event type Agora documents, with its typed details. */
export type KnownNotification = {
  [K in KnownEventType]: NotificationBase & {
    readonly known: true;
    readonly eventType: K;
    readonly details: EventDetails<K>;
  };
}[KnownEventType];

/** A notification of an event type recwatch does not know: kept, with its raw details. */
export interface UnknownNotification extends NotificationBase {
  readonly known: false;
  readonly details: Readonly<Record<string, unknown>>;
}

/** A normalized Agora webhook notification. Narrow on `known`, then on `eventType`. */
export type Notification = KnownNotification | UnknownNotification;

/** The product id of cloud recording in Agora's notification service. */
export const CLOUD_RECORDING_PRODUCT_ID = 3;

/**
 * The envelope schema: liberal readings and error messages (see envelope-fast.ts for the common
 * case). What routing, dedupe and order need is checked (eventType, ids, sid, sequence); the
 * rest is read when it reads and left out when it does not.
 */
export const envelopeSchema = z.looseObject({
  noticeId: idLike.optional(),
  notificationId: idLike.optional(),
  productId: lenient(numberLike),
  eventType: countLike,
  // Times the lifecycle does not read: kept when they are times, dropped when not.
  notifyMs: lenient(timeLike),
  /** Legacy callbacks' send time. */
  eventMs: lenient(timeLike),
  sid: z.string().optional(),
  serviceScene: lenient(z.string()),
  payload: z.looseObject({
    cname: lenient(idLike),
    uid: lenient(idLike),
    sid: z.string().optional(),
    sequence: countLike,
    // Rule 9 compares it with query times: a sendts that is not a time is a reject, not a guess.
    sendts: timeLike.optional(),
    serviceType: lenient(numberLike),
    serviceScene: lenient(z.string()),
    details: lenient(anyObject),
  }),
});

/**
 * Parses a webhook body (already-parsed JSON, or the raw text or bytes) into a normalized
 * notification. Never throws: a rejection names the path and the problem.
 * @example
 * const result = parseNotification(rawBody);
 * if (result.ok && result.value.known && result.value.eventType === 11) {
 *   result.value.details.exitStatus; // 0 normal, 1 abnormal
 * } else if (!result.ok) {
 *   console.warn(result.error.message); // e.g. "payload.sequence: expected a non-negative integer"
 * }
 */
export function parseNotification(body: unknown): ParseResult<Notification> {
  // Never throws (throwing getters, proxies): as `guarded`, without a closure per webhook.
  try {
    if (typeof body !== 'string' && !(body instanceof Uint8Array)) return parseEnvelope(body);
    const json = readJson(body);
    if (!json.ok) return json;
    return parseEnvelope(json.value);
  } catch (error) {
    return unreadable(error);
  }
}

function parseEnvelope(body: unknown): ParseResult<Notification> {
  // The fast reader copies nothing: what is kept of `details` is copied below.
  let top: EnvelopeFields | undefined = readEnvelopeFields(body);
  let copied = false;
  if (top === undefined) {
    const parsed = envelopeSchema.safeParse(body);
    if (!parsed.success) return { ok: false, error: fromZod(parsed.error) };
    top = parsed.data;
    copied = true;
  }
  // Built field by field, not with spreads: this runs for every webhook and every replayed one.
  const payload = top.payload;
  // An empty id names nothing (and would make every such notification a duplicate of the first).
  const noticeId = top.noticeId || top.notificationId;
  if (noticeId === undefined || noticeId === '') {
    return fail('noticeId', 'missing', 'expected a non-empty noticeId (or legacy notificationId)');
  }
  const sid = payload.sid ?? top.sid;
  if (sid === undefined || sid === '')
    return fail('payload.sid', 'missing', 'expected a non-empty sid');
  const sendts = payload.sendts ?? top.notifyMs ?? top.eventMs;
  if (sendts === undefined)
    return fail(
      'payload.sendts',
      'missing',
      'expected sendts (or notifyMs, or the legacy eventMs)',
    );
  const base: { -readonly [K in keyof NotificationBase]: NotificationBase[K] } = {
    noticeId,
    eventType: top.eventType,
    eventName: '',
    sid,
    uid: payload.uid ?? '',
    cname: payload.cname ?? '',
    sequence: payload.sequence,
    sendts,
    // The format before REST API 1.3.0: `notificationId`, `eventMs`, no `productId`.
    legacy:
      top.noticeId === undefined || (top.eventMs !== undefined && top.productId === undefined),
  };
  if (top.notifyMs !== undefined) base.notifyMs = top.notifyMs;
  if (top.productId !== undefined) base.productId = top.productId;
  if (payload.serviceType !== undefined) base.serviceType = payload.serviceType;
  // The fast reader keeps unknown keys as they came: a scene is kept only when it is text.
  const scene = payload.serviceScene ?? top.serviceScene;
  if (typeof scene === 'string') base.serviceScene = scene;
  const given = payload.details;
  const eventType = top.eventType;
  if (!isKnownEventType(eventType)) {
    // Kept as they came, in a copy of their own (the schema's output is one already).
    const rawDetails = given === undefined ? {} : copied ? given : { ...given };
    const msgName = rawDetails.msgName;
    base.eventName = typeof msgName === 'string' ? msgName : `event_${eventType}`;
    const unknown = base as Mutable<UnknownNotification>;
    unknown.known = false;
    unknown.details = rawDetails;
    return { ok: true, value: unknown };
  }
  const rawDetails = given ?? {};
  let read = readDetailsFast(eventType, rawDetails);
  if (read === undefined) {
    const details = EVENT_DETAILS[eventType].safeParse(rawDetails);
    if (!details.success) return { ok: false, error: fromZod(details.error, 'payload.details') };
    read = details.data;
  }
  base.eventName = EVENT_NAMES[eventType];
  const known = base as Mutable<NotificationBase> & { known: true; details: unknown };
  known.known = true;
  known.details = read;
  return { ok: true, value: known as KnownNotification };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const decoder = new TextDecoder('utf-8', { fatal: true });

function readJson(body: unknown): ParseResult<unknown> {
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) return { ok: true, value: body };
  let text: string;
  try {
    // The decoder drops a leading BOM from bytes; the same text as a string is read alike.
    text = typeof body === 'string' ? body.replace(/^\uFEFF/, '') : decoder.decode(body);
  } catch {
    return fail('(body)', 'not_json', 'not valid UTF-8');
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return fail(
      '(body)',
      'not_json',
      `not JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

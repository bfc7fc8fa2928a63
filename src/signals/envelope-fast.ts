// The common case of the notification envelope, read without zod. Webhooks arrive by the
// thousand and every one is read again on replay; most are in the canonical shape (numbers as
// numbers, ids as strings). This reader accepts exactly that shape and gives up (undefined) on
// anything else, which then goes through the zod schema: the liberal readings and the error
// messages live there, once. A property test checks both readers agree wherever this one answers.

import { isCount, isPlain, optionalNumber, optionalString, type Plain } from './canonical.js';
import { isTime } from './time.js';

const optionalTime = (value: unknown): value is number | undefined =>
  value === undefined || isTime(value);

/** The envelope as the zod schema outputs it (unknown keys are kept too). */
export interface EnvelopeFields {
  readonly noticeId?: string;
  readonly notificationId?: string;
  readonly productId?: number;
  readonly eventType: number;
  readonly notifyMs?: number;
  readonly eventMs?: number;
  readonly sid?: string;
  /** Kept as it came by this reader (the schema drops one that is not text). */
  readonly serviceScene?: unknown;
  readonly payload: {
    readonly cname?: string;
    readonly uid?: string;
    readonly sid?: string;
    readonly sequence: number;
    readonly sendts?: number;
    readonly serviceType?: number;
    readonly serviceScene?: unknown;
    readonly details?: Record<string, unknown>;
  };
}

/**
 * The envelope's fields if the body has the canonical shape, else undefined (use the schema):
 * each field read once, and nothing copied (no key the schema would keep unread is kept). What
 * `parseNotification` reads: it copies what it keeps of them itself.
 */
export function readEnvelopeFields(body: unknown): EnvelopeFields | undefined {
  if (!isPlain(body)) return undefined;
  const { noticeId, notificationId, productId, eventType, notifyMs, eventMs, sid, payload } = body;
  if (!optionalString(noticeId) || !optionalString(notificationId) || !optionalString(sid))
    return undefined;
  if (!optionalNumber(productId) || !optionalTime(notifyMs) || !isCount(eventType))
    return undefined;
  if (!optionalTime(eventMs)) return undefined;
  if (!isPlain(payload)) return undefined;
  const { cname, uid, sequence, sendts, serviceType, details } = payload;
  const payloadSid = payload.sid;
  if (!optionalString(cname) || !optionalString(uid) || !optionalString(payloadSid))
    return undefined;
  if (!isCount(sequence) || !optionalTime(sendts) || !optionalNumber(serviceType)) return undefined;
  if (details !== undefined && !isPlain(details)) return undefined;
  return {
    noticeId,
    notificationId,
    productId,
    eventType,
    notifyMs,
    eventMs,
    sid,
    serviceScene: body.serviceScene,
    payload: {
      cname,
      uid,
      sid: payloadSid,
      sequence,
      sendts,
      serviceType,
      serviceScene: payload.serviceScene,
      details,
    },
  };
}

/**
 * The envelope as the loose schema outputs it, if the body has the canonical shape, else
 * undefined (use the schema): every key as given (unknown ones too, absent ones absent), with
 * payload and details copied.
 */
export function readEnvelopeFast(body: unknown): EnvelopeFields | undefined {
  if (readEnvelopeFields(body) === undefined) return undefined;
  const plain = body as Plain;
  const payload = plain.payload as Plain;
  const fields = { ...plain, payload: { ...payload } };
  if (payload.details !== undefined) fields.payload.details = { ...(payload.details as Plain) };
  return fields as unknown as EnvelopeFields;
}

// The common case of the notification envelope, read without zod. Webhooks arrive by the
// thousand and every one is read again on replay; most are in the canonical shape (numbers as
// numbers, ids as strings). This reader accepts exactly that shape and gives up (undefined) on
// anything else, which then goes through the zod schema: the liberal readings and the error
// messages live there, once. A property test checks both readers agree wherever this one answers.

import { isCount, isPlain, optionalNumber, optionalString } from './canonical.js';

/** The envelope as the zod schema outputs it. */
export interface EnvelopeFields {
  readonly noticeId?: string;
  readonly notificationId?: string;
  readonly productId?: number;
  readonly eventType: number;
  readonly notifyMs?: number;
  readonly eventMs?: number;
  readonly sid?: string;
  readonly payload: {
    readonly cname?: string;
    readonly uid?: string;
    readonly sid?: string;
    readonly sequence: number;
    readonly sendts?: number;
    readonly serviceType?: number;
    readonly details?: Record<string, unknown>;
  };
}

/** The envelope's fields if the body has the canonical shape, else undefined (use the schema). */
export function readEnvelopeFast(body: unknown): EnvelopeFields | undefined {
  if (!isPlain(body)) return undefined;
  const { noticeId, notificationId, productId, eventType, notifyMs, eventMs, sid, payload } = body;
  if (!optionalString(noticeId) || !optionalString(notificationId) || !optionalString(sid))
    return undefined;
  if (!optionalNumber(productId) || !optionalNumber(notifyMs) || !isCount(eventType))
    return undefined;
  if (!optionalNumber(eventMs)) return undefined;
  if (!isPlain(payload)) return undefined;
  const { cname, uid, sequence, sendts, serviceType, details } = payload;
  if (!optionalString(cname) || !optionalString(uid) || !optionalString(payload.sid))
    return undefined;
  if (!isCount(sequence) || !optionalNumber(sendts) || !optionalNumber(serviceType))
    return undefined;
  if (details !== undefined && !isPlain(details)) return undefined;
  return {
    noticeId: noticeId as string | undefined,
    notificationId: notificationId as string | undefined,
    productId: productId as number | undefined,
    eventType,
    notifyMs: notifyMs as number | undefined,
    eventMs: eventMs as number | undefined,
    sid: sid as string | undefined,
    payload: {
      cname: cname as string | undefined,
      uid: uid as string | undefined,
      sid: payload.sid as string | undefined,
      sequence,
      sendts: sendts as number | undefined,
      serviceType: serviceType as number | undefined,
      details: details === undefined ? undefined : { ...details },
    },
  };
}

// What a logged notification is, read once: its session and its dedupe identity. Items are
// immutable, so the reading is kept per record object; the stream and the keys of an item, and
// the step that acts on it, then share one parse of the body.
import { type Notification, parseNotification, type TraceRecord } from '../signals/index.js';

/** The fields of a notification the log files and keys it by. */
export interface NotificationIdentity {
  readonly sid: string;
  /** The recorder uid that sent it ('' when the payload has none): changes on failover. */
  readonly uid: string;
  readonly eventType: number;
  readonly sequence: number;
  readonly noticeId: string;
}

type NotificationRecord = Extract<TraceRecord, { type: 'notification' }>;

const readings = new WeakMap<NotificationRecord, NotificationIdentity | null>();

/** Keeps what parsing a record's body gave, so `notificationIdentity` does not parse it again. */
export function rememberNotification(record: NotificationRecord, notification: Notification): void {
  readings.set(record, identityOf(notification));
}

/**
 * A notification record's identity; null for a body that is not a notification (the log keys
 * those by content). Parsed at most once per record object.
 * @example notificationIdentity({ at: 1, type: 'notification', body })?.sid // 'S1'
 */
export function notificationIdentity(record: NotificationRecord): NotificationIdentity | null {
  const known = readings.get(record);
  if (known !== undefined) return known;
  const parsed = parseNotification(record.body);
  const identity = parsed.ok ? identityOf(parsed.value) : null;
  readings.set(record, identity);
  return identity;
}

function identityOf(notification: Notification): NotificationIdentity {
  const { sid, uid, eventType, sequence, noticeId } = notification;
  return { sid, uid, eventType, sequence, noticeId };
}

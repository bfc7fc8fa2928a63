// Builders of log items for the log's tests. Every builder gives a distinct key unless told not to.
import type { LogItem } from '../../src/index.js';
import { type NotificationOptions, notificationBody, queryBody, SID } from '../fixtures/agora.js';

export function tick(at: number): LogItem {
  return { kind: 'input', at, record: { at, type: 'tick' } };
}

export function query(at: number, recording = 'r1', sid = SID): LogItem {
  const record = {
    at,
    type: 'query',
    recording,
    sid,
    httpStatus: 200,
    body: queryBody(5),
  } as const;
  return { kind: 'input', at, record };
}

export function stop(at: number, recording = 'r1'): LogItem {
  return { kind: 'input', at, record: { at, type: 'stop', recording } };
}

export function notification(at: number, options: NotificationOptions): LogItem {
  return {
    kind: 'input',
    at,
    record: { at, type: 'notification', body: notificationBody(options) },
  };
}

export function rawNotification(at: number, body: unknown): LogItem {
  return { kind: 'input', at, record: { at, type: 'notification', body } };
}

export function reject(at: number, raw: unknown, reason = 'at: expected number'): LogItem {
  return { kind: 'reject', at, reason, raw };
}

/** `count` ticks from `from` on, one ms apart. */
export function ticks(from: number, count: number): LogItem[] {
  return Array.from({ length: count }, (_, index) => tick(from + index));
}

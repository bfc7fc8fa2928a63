// The keys recwatch gave notifications and rejects before SQLite log schema 2 and PostgreSQL log
// schema 4 (no recorder uid, one noticeId for all sids, a reject's receive time in its key): how
// a log written then holds them, for the migration tests.
import { createHash } from 'node:crypto';
import type { LogItem } from '../../src/index.js';
import { rawText } from '../../src/log/codec.js';

export function oldKeys(item: LogItem): string[] {
  if (item.kind === 'reject') {
    const digest = createHash('sha256').update(`${rawText(item.raw)}\n${item.at}`);
    return [`reject[${digest.digest('base64url')}]`];
  }
  if (item.record.type !== 'notification') throw new Error('only notifications changed keys');
  const body = item.record.body as {
    noticeId: string;
    eventType: number;
    payload: { sid: string; sequence: number };
  };
  const { sid, sequence } = body.payload;
  return [
    `notification${JSON.stringify([sid, body.eventType, sequence])}`,
    `notice${JSON.stringify([body.noticeId])}`,
  ];
}

/** A webhook body that is not a notification, as the supervisor logs it (a reject at `at`). */
export function rejectedBody(at: number): LogItem {
  const raw = { at, type: 'notification', body: { hello: 'not a notification' } };
  return { kind: 'reject', at, reason: 'body: not a notification', raw };
}

import { createHash } from 'node:crypto';
import { rawText } from './codec.js';
import { notificationIdentity } from './notification-identity.js';
import type { LogItem } from './types.js';

/** An item's idempotency keys: the first is its own key; any of them already stored makes it a repeat. */
export type IdempotencyKeys = readonly [string, ...string[]];

/**
 * The keys that identify an item, so a resend or a retry is stored once. A notification has two
 * (`sid+eventType+sequence`, and its `noticeId`), as Agora resends either way; a query is
 * `recording+sid+at`, another command `type+recording+at`, a tick its `at`, and a reject a hash
 * of its raw value and `at`.
 * @example
 * idempotencyKeys({ kind: 'input', at: 5000, record: { at: 5000, type: 'tick' } }) // ['tick[5000]']
 */
export function idempotencyKeys(item: LogItem): IdempotencyKeys {
  if (item.kind === 'reject') return [`reject[${digest(`${rawText(item.raw)}\n${item.at}`)}]`];
  const record = item.record;
  switch (record.type) {
    case 'notification': {
      const identity = notificationIdentity(record);
      // Unreachable for validated inputs; a body that cannot be read is keyed by its content.
      if (identity === null)
        return [`notification-raw[${digest(`${rawText(record.body)}\n${record.at}`)}]`];
      const { sid, eventType, sequence, noticeId } = identity;
      return [`notification${json([sid, eventType, sequence])}`, `notice${json([noticeId])}`];
    }
    case 'query':
      return [`query${json([record.recording, record.sid, record.at])}`];
    case 'tick':
      return [`tick${json([record.at])}`];
    default:
      return [`${record.type}${json([record.recording, record.at])}`];
  }
}

// JSON arrays keep the parts apart whatever characters ids contain.
function json(parts: readonly (string | number)[]): string {
  return JSON.stringify(parts);
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

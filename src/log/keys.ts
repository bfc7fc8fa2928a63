import { createHash } from 'node:crypto';
import { isTime } from '../signals/index.js';
import { rawText } from './codec.js';
import { notificationIdentity } from './notification-identity.js';
import type { LogItem } from './types.js';

/** An item's idempotency keys: the first is its own key; any of them already stored makes it a repeat. */
export type IdempotencyKeys = readonly [string, ...string[]];

/**
 * The keys that identify an item, so a resend or a retry is stored once, and two different
 * inputs never share one. A notification has two, each at least as fine as the core's dedupe
 * (lifecycle-rules.md rule 8), so the log never drops what the core would apply:
 * `sid+uid+eventType+sequence` (the recorder uid too: `sequence` may start again from 0 for the
 * new recorder after a failover) and `sid+noticeId` (unless that is empty), as Agora resends
 * either way. A query or another command is keyed by its recording and time (to read) and a hash
 * of the whole record (to identify it: two different answers in one ms are two inputs); a tick is
 * its `at` (all it holds). A reject is keyed by its content, never by when it was received, so a
 * body refused again on every resend is stored once (a notification record's receive time `at`
 * is left out of it).
 * @example
 * idempotencyKeys({ kind: 'input', at: 5000, record: { at: 5000, type: 'tick' } }) // ['tick[5000]']
 */
export function idempotencyKeys(item: LogItem): IdempotencyKeys {
  if (item.kind === 'reject') return [`reject[${digest(rejectContent(item.raw))}]`];
  const record = item.record;
  switch (record.type) {
    case 'notification': {
      const identity = notificationIdentity(record);
      // Unreachable for validated inputs; a body that cannot be read is keyed by its content.
      if (identity === null)
        return [`notification-raw[${digest(`${rawText(record.body)}\n${record.at}`)}]`];
      const { sid, uid, eventType, sequence, noticeId } = identity;
      const own = `notification${json([sid, uid, eventType, sequence])}`;
      // An empty noticeId names nothing: as a key it would make every such notification one.
      return noticeId === '' ? [own] : [own, `notice${json([sid, noticeId])}`];
    }
    case 'query':
      return [`query${json([record.recording, record.sid, record.at, digest(rawText(record))])}`];
    case 'tick':
      return [`tick${json([record.at])}`];
    default: {
      // `options` and a `resumed` of the whole log name no recording.
      const recording = 'recording' in record ? (record.recording ?? '') : '';
      return [`${record.type}${json([recording, record.at, digest(rawText(record))])}`];
    }
  }
}

// A webhook body is wrapped as a notification record stamped with its receive time: a resend of
// the same body differs only there.
function rejectContent(raw: unknown): string {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || raw instanceof Uint8Array)
    return rawText(raw);
  const { at, ...rest } = raw as { at?: unknown; type?: unknown };
  return rest.type === 'notification' && isTime(at) ? rawText(rest) : rawText(raw);
}

// JSON arrays keep the parts apart whatever characters ids contain.
function json(parts: readonly (string | number)[]): string {
  return JSON.stringify(parts);
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

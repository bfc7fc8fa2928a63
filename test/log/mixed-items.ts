// Logs of every kind of item, for the migration tests: what to write, and what must read back.
import { allEntries, type EventLog, type LogItem } from '../../src/index.js';
import { idempotencyKeys, streamOf } from '../../src/log/index.js';
import { notification, query, reject, stop, tick } from './items.js';
import type { OldEntry } from './old-sqlite-log.js';

// Notifications of three sessions, the recordings' commands and queries, ticks and rejects.
export function mixedItems(count: number): LogItem[] {
  return Array.from({ length: count }, (_, n): LogItem => {
    const at = 10_000 + n;
    switch (n % 6) {
      case 0:
      case 1:
        return notification(at, {
          eventType: 40 + (n % 3),
          sid: `S${n % 3}`,
          sequence: n,
          noticeId: `notice-${n}`,
        });
      case 2:
        return tick(at);
      case 3:
        return query(at, `r${n % 4}`);
      case 4:
        return stop(at, `r${n % 4}`);
      default:
        return reject(at, { type: 'teleport', n });
    }
  });
}

export function asOldEntries(items: readonly LogItem[]): OldEntry[] {
  return items.map((item) => ({ stream: streamOf(item), item, keys: idempotencyKeys(item) }));
}

/** What a reader should read: each item with its position, stream, version and key. */
export function expectedEntries(items: readonly LogItem[]) {
  const versions = new Map<string, number>();
  return items.map((item, index) => {
    const stream = streamOf(item);
    const version = (versions.get(stream) ?? 0) + 1;
    versions.set(stream, version);
    return { position: index + 1, stream, version, key: idempotencyKeys(item)[0], item };
  });
}

export async function readEverything(log: EventLog) {
  const entries = [];
  for await (const entry of allEntries(log, { pageSize: 97 })) {
    const { position, stream, version, key, item } = entry;
    entries.push({ position, stream, version, key, item });
  }
  return entries;
}

// The same item resent by Agora under its noticeId only (another sequence): a repeat by its
// second key, which the log keeps only in its key index.
export function resentByNoticeId(item: LogItem): LogItem | null {
  if (item.kind !== 'input' || item.record.type !== 'notification') return null;
  const body = item.record.body as { payload: { sequence: number } };
  const payload = { ...body.payload, sequence: body.payload.sequence + 1_000_000 };
  return { ...item, record: { ...item.record, body: { ...body, payload } } };
}

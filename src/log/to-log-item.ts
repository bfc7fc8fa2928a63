import { inspect } from 'node:util';
import { isTime, normalizeRecord, parseTraceRecord, type Signal } from '../signals/index.js';
import { encodeItem, isStorable } from './codec.js';
import { InvalidTimeError } from './errors.js';
import { rememberNotification } from './notification-identity.js';
import type { LogItem } from './types.js';

/** What was received, read once: the item to append, and the signal to act on (null: a reject). */
export interface ReceivedItem {
  readonly item: LogItem;
  readonly signal: Signal | null;
}

/**
 * Turns whatever was received into the item to append: an input when it normalizes (its record
 * kept raw, notification bodies untouched), otherwise a reject with the reason and the raw value,
 * observed at `receivedAt`. Never throws for any `raw`: nothing received is dropped; throws
 * `InvalidTimeError` when `receivedAt` is not a time.
 * @example
 * toLogItem({ at: 5, type: 'tick' }, 7) // { kind: 'input', at: 5, record: { at: 5, type: 'tick' } }
 * toLogItem({ type: 'tick' }, 7) // { kind: 'reject', at: 7, reason: 'at: ...', raw: { type: 'tick' } }
 */
export function toLogItem(raw: unknown, receivedAt: number): LogItem {
  return readReceived(raw, receivedAt).item;
}

/**
 * `toLogItem`, also giving the normalized signal, so appending and acting parse the input once.
 * @example const { item, signal } = readReceived(body, Date.now());
 */
export function readReceived(raw: unknown, receivedAt: number): ReceivedItem {
  if (!isTime(receivedAt)) throw new InvalidTimeError(receivedAt);
  const record = parseTraceRecord(raw);
  if (!record.ok) return reject(receivedAt, record.error.message, raw);
  const signal = normalizeRecord(record.value);
  if (!signal.ok) return reject(receivedAt, signal.error.message, raw);
  if (record.value.type === 'notification' && signal.value.type === 'notification') {
    rememberNotification(record.value, signal.value.notification);
  }
  const item: LogItem = { kind: 'input', at: record.value.at, record: record.value };
  try {
    encodeItem(item);
    return { item, signal: signal.value };
  } catch (error) {
    return reject(receivedAt, error instanceof Error ? error.message : String(error), raw);
  }
}

function reject(at: number, reason: string, raw: unknown): ReceivedItem {
  if (isStorable(raw)) return { item: { kind: 'reject', at, reason, raw }, signal: null };
  // A value JSON cannot hold (a cycle, a bigint) is kept as its inspection rather than lost.
  const kept = `${reason} (raw value kept as text)`;
  return { item: { kind: 'reject', at, reason: kept, raw: inspect(raw) }, signal: null };
}

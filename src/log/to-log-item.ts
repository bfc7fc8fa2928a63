import { inspect } from 'node:util';
import { normalizeInput, parseTraceRecord } from '../signals/index.js';
import { encodeItem, isStorable } from './codec.js';
import type { LogItem } from './types.js';

/**
 * Turns whatever was received into the item to append: an input when it normalizes (its record
 * kept raw, notification bodies untouched), otherwise a reject with the reason and the raw value,
 * observed at `receivedAt`. Never throws for any `raw`: nothing received is dropped.
 * @example
 * toLogItem({ at: 5, type: 'tick' }, 7) // { kind: 'input', at: 5, record: { at: 5, type: 'tick' } }
 * toLogItem({ type: 'tick' }, 7) // { kind: 'reject', at: 7, reason: 'at: ...', raw: { type: 'tick' } }
 */
export function toLogItem(raw: unknown, receivedAt: number): LogItem {
  if (!Number.isFinite(receivedAt) || receivedAt < 0) {
    throw new RangeError(`receivedAt must be a time in ms, not ${receivedAt}`);
  }
  const normalized = normalizeInput(raw);
  if (!normalized.ok) return reject(receivedAt, normalized.error.message, raw);
  const record = parseTraceRecord(raw);
  if (!record.ok) return reject(receivedAt, record.error.message, raw);
  const item: LogItem = { kind: 'input', at: record.value.at, record: record.value };
  try {
    encodeItem(item);
    return item;
  } catch (error) {
    return reject(receivedAt, error instanceof Error ? error.message : String(error), raw);
  }
}

function reject(at: number, reason: string, raw: unknown): LogItem {
  if (isStorable(raw)) return { kind: 'reject', at, reason, raw };
  // A value JSON cannot hold (a cycle, a bigint) is kept as its inspection rather than lost.
  return { kind: 'reject', at, reason: `${reason} (raw value kept as text)`, raw: inspect(raw) };
}

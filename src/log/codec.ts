import { InvalidArgumentError } from '../errors/index.js';
import type { LogEntry, LogItem } from './types.js';

// Raw bytes (a webhook body as received) cannot be JSON: they are stored as base64, flagged.
type StoredItem = LogItem & { readonly bytes?: true };

/**
 * Encodes an item as the JSON text every store keeps. Raw byte bodies are kept exactly; other
 * values read back as JSON gives them. Throws an `InvalidArgumentError` for a value JSON cannot hold.
 * @example encodeItem({ kind: 'input', at: 5, record: { at: 5, type: 'tick' } }) // '{"kind":"input",...}'
 */
export function encodeItem(item: LogItem): string {
  // Items are immutable: one encoding serves the check on receipt and the append.
  const known = encodings.get(item);
  if (known !== undefined) return known;
  const text = encode(item);
  encodings.set(item, text);
  return text;
}

const encodings = new WeakMap<LogItem, string>();

function encode(item: LogItem): string {
  if (item.kind === 'reject' && item.raw instanceof Uint8Array) {
    return stringify({ ...item, raw: toBase64(item.raw), bytes: true });
  }
  if (item.kind === 'input' && 'body' in item.record && item.record.body instanceof Uint8Array) {
    const record = { ...item.record, body: toBase64(item.record.body) };
    return stringify({ ...item, record, bytes: true });
  }
  return stringify(item);
}

/**
 * Decodes what `encodeItem` wrote. Throws on text that is not an encoded item.
 * @example decodeItem(encodeItem(item)) // an equal item
 */
export function decodeItem(text: string): LogItem {
  const stored = JSON.parse(text) as StoredItem;
  if (stored.kind !== 'input' && stored.kind !== 'reject') throw new Error('not a log item');
  if (stored.bytes !== true) return stored;
  const { bytes: _, ...item } = stored;
  if (item.kind === 'reject') return { ...item, raw: fromBase64(item.raw) };
  const record = item.record as { body?: unknown };
  return { ...item, record: { ...item.record, body: fromBase64(record.body) } } as LogItem;
}

/**
 * An entry as a store read it: where it sits, and its stored text decoded.
 * @example decodeEntry({ position: 1, stream: 'clock', version: 1, key: 'tick[5]' }, text)
 */
export function decodeEntry(place: Omit<LogEntry, 'at' | 'item'>, text: string): LogEntry {
  const item = decodeItem(text);
  const { position, stream, version, key } = place;
  return { position, stream, version, key, at: item.at, item };
}

/**
 * The text a raw value is stored as, for hashing: bytes and strings never read alike.
 * @example rawText(new Uint8Array([1])) // 'bytes:AQ=='
 */
export function rawText(raw: unknown): string {
  return raw instanceof Uint8Array ? `bytes:${toBase64(raw)}` : `json:${stringify(raw ?? null)}`;
}

/**
 * Whether a raw value can be stored (JSON can hold it, or it is bytes).
 * @example isStorable({ a: 1 }) // true
 * isStorable(10n) // false
 */
export function isStorable(raw: unknown): boolean {
  try {
    rawText(raw);
    return true;
  } catch {
    return false;
  }
}

function stringify(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new InvalidArgumentError(`not storable as JSON: ${why}`, { cause: error });
  }
  if (text === undefined) throw new InvalidArgumentError('not storable as JSON: no JSON value');
  return text;
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function fromBase64(value: unknown): Uint8Array {
  if (typeof value !== 'string') throw new Error('flagged bytes are not base64 text');
  return new Uint8Array(Buffer.from(value, 'base64'));
}

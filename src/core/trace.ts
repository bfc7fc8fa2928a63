// The trace format v1 (docs/lifecycle.md): JSON Lines, one input as received per line.
import { isTime, parseTraceRecord, type TraceRecord } from '../signals/index.js';

/**
 * A trace line: an input as received, or a reject the log kept (its reason and raw value), so
 * an exported log replays to the same positions and decisions.
 */
export type TraceLine =
  | { readonly kind: 'input'; readonly line: number; readonly record: unknown }
  | {
      readonly kind: 'reject';
      readonly line: number;
      readonly at: number;
      readonly reason: string;
      readonly raw: unknown;
    };

/** A line that could not be read, and why; it is skipped, never fatal. */
export interface TraceProblem {
  readonly line: number;
  readonly message: string;
}

/**
 * Reads a trace: every line that is a valid record, and a problem for every other non-blank
 * line. Records are kept as written (unknown fields ignored later, bodies untouched).
 * @example
 * const { records, problems } = readTrace(readFileSync('trace.jsonl', 'utf8'));
 * for (const p of problems) console.error(`line ${p.line}: ${p.message}`);
 */
export function readTrace(text: string): { records: TraceLine[]; problems: TraceProblem[] } {
  const records: TraceLine[] = [];
  const problems: TraceProblem[] = [];
  for (const [index, content] of text.split('\n').entries()) {
    const read = readTraceLine(content, index + 1);
    if (read === null) continue;
    if ('kind' in read) records.push(read);
    else problems.push(read);
  }
  return { records, problems };
}

/**
 * Reads one line of a trace (1-based `line`): a record, a problem, or null for a blank line.
 * A byte order mark opening the first line is not part of its record.
 * @example readTraceLine('{"at":5,"type":"tick"}', 1) // { kind: 'input', line: 1, record: { at: 5, type: 'tick' } }
 */
export function readTraceLine(text: string, line: number): TraceLine | TraceProblem | null {
  const content = line === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (content.trim() === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (error) {
    return { line, message: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const reject = readReject(value);
  if (reject !== null) return { kind: 'reject', line, ...reject };
  const record = parseTraceRecord(value);
  return record.ok
    ? new ReadInput(line, value, record.value)
    : { line, message: record.error.message };
}

/**
 * An input line as `readTraceLine` read it: the record as written, and (private) the record as
 * validated, so a fold of the line does not validate it again. Compares equal to the plain line.
 */
class ReadInput {
  readonly kind = 'input' as const;
  readonly #checked: TraceRecord;

  constructor(
    readonly line: number,
    readonly record: unknown,
    checked: TraceRecord,
  ) {
    this.#checked = checked;
  }

  /** The record as `parseTraceRecord` gave it, if `line` is one `readTraceLine` read. */
  static checkedOf(line: object): TraceRecord | undefined {
    return line instanceof ReadInput ? line.#checked : undefined;
  }
}

/**
 * The validated record of an input line `readTraceLine` read (what `parseTraceRecord` gave for
 * its record), or undefined for any other line: that one's record is validated when stepped.
 */
export const checkedRecordOf: (line: object) => TraceRecord | undefined = ReadInput.checkedOf;

/**
 * The trace line of a reject the log kept: `{"at", "type": "reject", "reason", "raw"}`.
 * @example rejectLine(5, 'type: invalid', { type: 'warp' }) // { at: 5, type: 'reject', ... }
 */
export function rejectLine(at: number, reason: string, raw: unknown): Record<string, unknown> {
  return { at, type: 'reject', reason, raw };
}

function readReject(value: unknown): { at: number; reason: string; raw: unknown } | null {
  if (value === null || typeof value !== 'object') return null;
  const line = value as Record<string, unknown>;
  if (line.type !== 'reject' || !isTime(line.at) || typeof line.reason !== 'string') return null;
  return { at: line.at, reason: line.reason, raw: line.raw };
}

/**
 * Writes records as a trace: one JSON object per line (see `traceLineText`).
 * @example writeTrace([{ at: 1700000090000, type: 'tick' }]) // '{"at":1700000090000,"type":"tick"}\n'
 */
export function writeTrace(records: Iterable<unknown>): string {
  let text = '';
  for (const record of records) text += `${traceLineText(record)}\n`;
  return text;
}

const utf8 = new TextDecoder();

/**
 * One record or reject as a trace line's JSON. A notification body or a raw value received as
 * bytes is written as the text it carried (JSON has no bytes; webhook bodies are UTF-8 text).
 * @example traceLineText({ at: 5, type: 'notification', body: bytes }) // '{"at":5,...,"body":"{\\"eventType\\":40,...}"}'
 */
export function traceLineText(line: unknown): string {
  if (line !== null && typeof line === 'object') {
    const fields = line as Record<string, unknown>;
    if (fields.body instanceof Uint8Array)
      return JSON.stringify({ ...fields, body: utf8.decode(fields.body) });
    if (fields.raw instanceof Uint8Array)
      return JSON.stringify({ ...fields, raw: utf8.decode(fields.raw) });
  }
  return JSON.stringify(line);
}

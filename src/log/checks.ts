import { InvalidArgumentError } from '../errors/index.js';
import {
  type ExpectedVersion,
  type ReadAllOptions,
  type ReadStreamOptions,
  type Snapshot,
  SnapshotJsonText,
} from './types.js';

// Argument checks shared by every store, so they all refuse the same calls the same way.

/**
 * Throws an `InvalidArgumentError` unless `stream` is a non-empty, well-formed string: a lone surrogate
 * cannot be stored as text (SQLite would read it back as U+FFFD), so no store accepts one.
 * @example checkStream('recording-r1') // passes; checkStream('') throws
 */
export function checkStream(stream: unknown): asserts stream is string {
  if (typeof stream !== 'string' || stream === '') {
    throw new InvalidArgumentError(
      `a stream name must be a non-empty string, not ${String(stream)}`,
    );
  }
  if (LONE_SURROGATE.test(stream)) {
    throw new InvalidArgumentError(
      `a stream name must be well-formed Unicode, not ${JSON.stringify(stream)}`,
    );
  }
}

/** A UTF-16 surrogate without its pair: text no UTF-8 store can hold. */
export const LONE_SURROGATE =
  /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * `text` with each lone surrogate written as `\uXXXX`, so any store keeps it unchanged.
 * @example wellFormed('S\ud800') // 'S\\ud800'
 */
export function wellFormed(text: string): string {
  if (!LONE_SURROGATE.test(text)) return text;
  return text.replace(
    new RegExp(LONE_SURROGATE.source, 'g'),
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * Throws an `InvalidArgumentError` unless `expected` is `'any'` or a version (integer >= 0).
 * @example checkExpectedVersion('any') // passes; checkExpectedVersion(-1) throws
 */
export function checkExpectedVersion(expected: unknown): asserts expected is ExpectedVersion {
  if (expected !== 'any' && !isCount(expected, 0)) {
    throw new InvalidArgumentError(
      `expectedVersion must be 'any' or an integer >= 0, not ${String(expected)}`,
    );
  }
}

/**
 * Throws an `InvalidArgumentError` unless `value` is an integer >= `min`.
 * @example checkCount('limit', 100, 1) // passes; checkCount('limit', 0, 1) throws
 */
export function checkCount(name: string, value: unknown, min: number): asserts value is number {
  if (!isCount(value, min))
    throw new InvalidArgumentError(`${name} must be an integer >= ${min}, not ${String(value)}`);
}

/**
 * A `readStream` call's stream and range, checked and defaulted: from version 1, no limit.
 * @example streamRange('recording-r1', { limit: 10 }) // { from: 1, limit: 10 }
 */
export function streamRange(
  stream: unknown,
  options: ReadStreamOptions,
): { from: number; limit: number | undefined } {
  checkStream(stream);
  const from = options.fromVersion ?? 1;
  checkCount('fromVersion', from, 1);
  if (options.limit !== undefined) checkCount('limit', options.limit, 1);
  return { from, limit: options.limit };
}

/**
 * A `readAll` call's page, checked and defaulted: from position 1, 1,000 entries.
 * @example pageRange({ fromPosition: 5 }) // { from: 5, limit: 1000 }
 */
export function pageRange(options: ReadAllOptions): { from: number; limit: number } {
  const from = options.fromPosition ?? 1;
  const limit = options.limit ?? 1000;
  checkCount('fromPosition', from, 1);
  checkCount('limit', limit, 1);
  return { from, limit };
}

function isCount(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min;
}

/**
 * Checks a snapshot against the log's last position and returns its state as JSON text, a text
 * given in chunks (`SnapshotJsonText`) as it is: every store keeps the chunks, or writes them a
 * part at a time, never joining them on the event loop. Throws an `InvalidArgumentError` for a
 * position past the end (a snapshot of entries the log lacks), or a state JSON cannot hold.
 * @example snapshotJsonText({ position: 3, schemaVersion: 1, state: { n: 3 } }, 10).chunks // ['{"n":3}']
 */
export function snapshotJsonText(snapshot: Snapshot, head: number): SnapshotJsonText {
  checkCount('schemaVersion', snapshot?.schemaVersion, 0);
  checkCount('position', snapshot.position, 0);
  if (snapshot.position > head) {
    throw new InvalidArgumentError(
      `snapshot position ${snapshot.position} is past the log's end (${head})`,
    );
  }
  if (snapshot.state instanceof SnapshotJsonText) return snapshot.state;
  let state: string | undefined;
  try {
    state = JSON.stringify(snapshot.state);
  } catch (error) {
    throw new InvalidArgumentError('snapshot state must be JSON', { cause: error });
  }
  if (state === undefined) throw new InvalidArgumentError('snapshot state must be JSON');
  return new SnapshotJsonText(state);
}

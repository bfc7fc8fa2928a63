// A group commit as it crosses to the SQLite log's writer thread and back, packed flat: cloning
// a group of 64 appends as objects (each with its items, keys and text) cost the opening thread
// about 250 µs per group, and the 64 plans back about 40 µs more on the writer thread, where the
// packed form below costs under 30 µs each way (measured with a worker echoing, 2 cores). A
// group goes as one string (every stream, key and item text, one after the other) and the
// lengths and numbers to cut it up again; its plans come back as numbers only, in a buffer
// moved (transferred) rather than copied. Nothing here is parsed or encoded again.
import type { SqliteGroupAppend } from './sqlite-commit.js';
import type { WirePlan } from './sqlite-writer-protocol.js';

/**
 * A group packed for `postMessage`: `text` is every stream, key and item text of the group,
 * concatenated; `layout` holds, per append: the stream's length, the expected version (-1 for
 * `'any'`) and the item count; per item: its key count, each key's length, `at` (ms) and its
 * text's length. `layout.buffer` is transferred, not copied.
 */
export interface PackedGroup {
  readonly text: string;
  readonly layout: Float64Array<ArrayBuffer>;
}

const ANY = -1;
const WRITE = 1;
const CONFLICT = 0;

/**
 * Packs a group for the writer thread (`unpackGroup` gives it back).
 * @example const { text, layout } = packGroup([{ stream: 'clock', items, expected: 0 }]);
 */
export function packGroup(group: readonly SqliteGroupAppend[]): PackedGroup {
  let size = 0;
  for (const append of group) {
    size += 3;
    for (const item of append.items) size += 3 + item.keys.length;
  }
  const layout = new Float64Array(size);
  const parts: string[] = [];
  let at = 0;
  for (const { stream, items, expected } of group) {
    parts.push(stream);
    layout[at++] = stream.length;
    layout[at++] = expected === 'any' ? ANY : expected;
    layout[at++] = items.length;
    for (const item of items) {
      layout[at++] = item.keys.length;
      for (const key of item.keys) {
        parts.push(key);
        layout[at++] = key.length;
      }
      layout[at++] = item.at;
      parts.push(item.text);
      layout[at++] = item.text.length;
    }
  }
  return { text: parts.join(''), layout };
}

/**
 * The group `packGroup` packed, as it was.
 * @example unpackGroup(packGroup(group)) // equal to group
 */
export function unpackGroup({ text, layout }: PackedGroup): SqliteGroupAppend[] {
  const group: SqliteGroupAppend[] = [];
  let at = 0;
  let offset = 0;
  const take = (length: number): string => {
    const part = text.slice(offset, offset + length);
    offset += length;
    return part;
  };
  while (at < layout.length) {
    const stream = take(layout[at++]!);
    const expected = layout[at++]!;
    const count = layout[at++]!;
    const items: SqliteGroupAppend['items'][number][] = [];
    for (let n = 0; n < count; n += 1) {
      const keyCount = layout[at++]!;
      const keys: string[] = [];
      for (let k = 0; k < keyCount; k += 1) keys.push(take(layout[at++]!));
      const itemAt = layout[at++]!;
      items.push({ keys: keys as [string, ...string[]], at: itemAt, text: take(layout[at++]!) });
    }
    group.push({ stream, items, expected: expected === ANY ? 'any' : expected });
  }
  return group;
}

/**
 * A group's plans as numbers, in the order of its appends: a write as 1, its row count, the
 * stream's version after it, then per item its position and 1 if repeated (0 otherwise); a
 * conflict as 0 and the stream's actual version (its stream and expected version are the
 * append's own). The buffer is transferred, not copied.
 * @example packPlans([{ kind: 'conflict', stream: 's', expected: 0, actual: 2 }]) // [0, 2]
 */
export function packPlans(plans: readonly WirePlan[]): Float64Array<ArrayBuffer> {
  let size = 0;
  for (const plan of plans)
    size += plan.kind === 'write' ? 3 + 2 * plan.result.positions.length : 2;
  const packed = new Float64Array(size);
  let at = 0;
  for (const plan of plans) {
    if (plan.kind === 'conflict') {
      packed[at++] = CONFLICT;
      packed[at++] = plan.actual;
      continue;
    }
    const { positions, repeated, version } = plan.result;
    packed[at++] = WRITE;
    packed[at++] = plan.rows;
    packed[at++] = version;
    for (const position of positions) packed[at++] = position;
    for (const each of repeated) packed[at++] = each ? 1 : 0;
  }
  return packed;
}

/**
 * The plans `packPlans` packed, for `group` (the group they answer, in the same order).
 * @throws Error when `packed` does not answer `group` (a thread answering another request).
 */
export function unpackPlans(packed: Float64Array, group: readonly SqliteGroupAppend[]): WirePlan[] {
  const plans: WirePlan[] = [];
  let at = 0;
  for (const { stream, items, expected } of group) {
    if (packed[at] === CONFLICT && expected !== 'any') {
      plans.push({ kind: 'conflict', stream, expected, actual: packed[at + 1]! });
      at += 2;
      continue;
    }
    if (packed[at] !== WRITE) throw new Error('the plans do not answer the group');
    const rows = packed[at + 1]!;
    const version = packed[at + 2]!;
    at += 3;
    // Read in place: a subarray per append was a typed-array view made and dropped each time.
    const count = items.length;
    const positions: number[] = [];
    const repeated: boolean[] = [];
    for (let n = 0; n < count; n += 1) {
      positions.push(packed[at + n]!);
      repeated.push(packed[at + count + n] === 1);
    }
    at += 2 * count;
    plans.push({ kind: 'write', rows, result: { positions, repeated, version } });
  }
  if (at !== packed.length) throw new Error('the plans do not answer the group');
  return plans;
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Edit,
  peekTime,
  popTime,
  pushTime,
  type TimeQueue,
  timeQueueEntries,
  timeQueueOf,
  timeQueueSize,
} from '../../../src/stream/collections/index.js';

const head = (queue: TimeQueue) => {
  const top = peekTime(queue);
  return top === null ? null : { at: top.at, recording: top.id };
};

const op = fc.oneof(
  fc.record({
    push: fc.constant(true),
    at: fc.integer({ min: 0, max: 50 }),
    recording: fc.constantFrom('a', 'b', 'c', 'd'),
  }),
  fc.record({ push: fc.constant(false) }),
);

/**
 * Pushes and pops `ops` on a queue (persistent, or changed in place under `edit`) and on a sorted
 * list: the head is the list's first at every pop, and the count its length after every op.
 */
function followsModel(
  ops: readonly { push: boolean; at?: number; recording?: string }[],
  edit?: Edit,
) {
  let queue: TimeQueue = null;
  const model: { at: number; recording: string }[] = [];
  for (const o of ops) {
    if (o.at !== undefined && o.recording !== undefined) {
      queue = pushTime(queue, o.at, o.recording, edit);
      model.push({ at: o.at, recording: o.recording });
    } else {
      model.sort(
        (x, y) =>
          x.at - y.at || (x.recording < y.recording ? -1 : x.recording > y.recording ? 1 : 0),
      );
      expect(head(queue)).toEqual(model[0] ?? null);
      model.shift();
      queue = popTime(queue, edit);
    }
    expect(timeQueueSize(queue)).toBe(model.length);
  }
}

describe('the time queue', () => {
  it('pops entries earliest first (ties by recording), under any mix of pushes and pops', () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 300 }), (ops) => followsModel(ops, undefined)));
  });

  it('never changes a queue it was given', () => {
    const queue = timeQueueOf([
      ['a', 5],
      ['b', 3],
      ['c', null],
    ]);
    const popped = popTime(pushTime(queue, 1, 'z'));
    expect(head(queue)).toEqual({ at: 3, recording: 'b' });
    expect(head(popped)).toEqual({ at: 3, recording: 'b' });
    expect(head(popTime(queue))).toEqual({ at: 5, recording: 'a' });
  });

  it('changed in place under an edit token, still pops earliest first and counts its entries', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => followsModel(ops, new Edit())),
    );
  });

  it('never changes a queue handed out once its token is given up (as LiveCore’s snapshots)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(op, fc.record({ handOut: fc.constant(true) })), { maxLength: 300 }),
        (ops) => {
          let edit = new Edit();
          let queue: TimeQueue = null;
          const handedOut: { queue: TimeQueue; entries: [string, number][] }[] = [];
          for (const o of ops) {
            if ('handOut' in o) {
              handedOut.push({ queue, entries: timeQueueEntries(queue) });
              edit = new Edit();
            } else if ('at' in o) queue = pushTime(queue, o.at, o.recording, edit);
            else queue = popTime(queue, edit);
          }
          for (const { queue: kept, entries } of handedOut) {
            expect(timeQueueEntries(kept)).toEqual(entries);
            expect(timeQueueSize(kept)).toBe(entries.length);
          }
        },
      ),
    );
  });

  it('pops without allocating a node under its own token', () => {
    const edit = new Edit();
    let queue = timeQueueOf(
      Array.from({ length: 64 }, (_, i) => [`r${i}`, (i * 37) % 64] as const),
      edit,
    );
    const before = nodesOf(queue);
    for (let i = 0; i < 32; i += 1) queue = popTime(queue, edit);
    const after = nodesOf(queue);
    expect(after.size).toBe(32);
    for (const node of after) expect(before.has(node)).toBe(true);
  });
});

/** Every node of a queue (its root, children and their siblings). */
function nodesOf(queue: TimeQueue): Set<object> {
  const nodes = new Set<object>();
  const walk = (node: TimeQueue): void => {
    for (let n = node; n !== null; n = typeof n.next === 'object' ? n.next : null) {
      nodes.add(n);
      walk(n.child);
    }
  };
  walk(queue);
  return nodes;
}

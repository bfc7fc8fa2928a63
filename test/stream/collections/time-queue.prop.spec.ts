import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  peekTime,
  popTime,
  pushTime,
  type TimeQueue,
  timeQueueOf,
} from '../../../src/stream/collections/index.js';

const head = (queue: TimeQueue) => {
  const top = peekTime(queue);
  return top === null ? null : { at: top.at, recording: top.id };
};

describe('the time queue', () => {
  it('pops entries earliest first (ties by recording), under any mix of pushes and pops', () => {
    const op = fc.oneof(
      fc.record({
        push: fc.constant(true),
        at: fc.integer({ min: 0, max: 50 }),
        recording: fc.constantFrom('a', 'b', 'c', 'd'),
      }),
      fc.record({ push: fc.constant(false) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        let queue: TimeQueue = null;
        const model: { at: number; recording: string }[] = [];
        for (const o of ops) {
          if ('at' in o) {
            queue = pushTime(queue, o.at, o.recording);
            model.push({ at: o.at, recording: o.recording });
          } else {
            model.sort(
              (x, y) =>
                x.at - y.at || (x.recording < y.recording ? -1 : x.recording > y.recording ? 1 : 0),
            );
            expect(head(queue)).toEqual(model[0] ?? null);
            model.shift();
            queue = popTime(queue);
          }
        }
      }),
    );
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
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MinHeap } from '../../src/runtime/min-heap.js';

interface Item {
  readonly key: number;
  readonly order: number;
}

const before = (a: Item, b: Item) => a.key < b.key || (a.key === b.key && a.order < b.order);

describe('MinHeap', () => {
  it('pops what was pushed in sorted order, ties in the order given, whatever the interleaving', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constant('pop' as const)), {
          maxLength: 200,
        }),
        (script) => {
          const heap = new MinHeap<Item>(before);
          const model: Item[] = [];
          let order = 0;
          for (const step of script) {
            if (step === 'pop') {
              model.sort((a, b) => (before(a, b) ? -1 : 1));
              expect(heap.peek()).toEqual(model[0]);
              expect(heap.pop()).toEqual(model.shift());
            } else {
              const item = { key: step, order: order++ };
              heap.push(item);
              model.push(item);
            }
            expect(heap.size).toBe(model.length);
          }
          expect(
            heap
              .drain()
              .map((item) => item.order)
              .sort((a, b) => a - b),
          ).toEqual(model.map((item) => item.order).sort((a, b) => a - b));
          expect(heap.size).toBe(0);
          expect(heap.pop()).toBeUndefined();
        },
      ),
    );
  });
});

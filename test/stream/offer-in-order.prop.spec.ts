import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  advance,
  createReorder,
  offer,
  offerInOrder,
  type ReorderState,
} from '../../src/stream/index.js';

// Random offers on two sids and two recorders, time passing between them.
const step = fc.record({
  sid: fc.constantFrom('S1', 'S2'),
  uid: fc.constantFrom('1001', '2001'),
  sequence: fc.nat({ max: 8 }),
  matters: fc.boolean(),
  later: fc.nat({ max: 1500 }),
});

describe('offerInOrder', () => {
  it('answers exactly when offer passes the item alone, in order, and leaves the same state', () => {
    let answered = 0;
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        let state: ReorderState<number> = createReorder();
        let at = 1000;
        for (const [index, { sid, uid, sequence, matters, later }] of steps.entries()) {
          at += later;
          state = advance(state, at).state;
          const key = { sid, uid, sequence };
          const fast = offerInOrder(state, key, matters);
          const full = offer(state, key, index, at, matters);
          const passedAlone =
            !full.held &&
            full.released.length === 1 &&
            full.released[0]?.item === index &&
            full.released[0]?.gap === null &&
            !full.released[0]?.late &&
            state.sids.get(sid)?.some((stream) => stream.uid === uid) === true;
          if (fast !== null) {
            answered += 1;
            expect(passedAlone).toBe(true);
            expect([...fast.sids]).toEqual([...full.state.sids]);
            expect([...fast.holding]).toEqual([...full.state.holding]);
            expect(fast.nextDue).toBe(full.state.nextDue);
          } else if (passedAlone) {
            // Only the first of a stream, or one behind held items, is left to offer.
            const stream = state.sids.get(sid)?.find((one) => one.uid === uid);
            expect(stream === undefined || stream.held.length > 0).toBe(true);
          }
          state = full.state;
        }
      }),
      { numRuns: 500 },
    );
    expect(answered).toBeGreaterThan(0);
  });

  it('leaves a new stream, a late one and one to hold to offer', () => {
    let state: ReorderState<string> = createReorder();
    const key = (sequence: number) => ({ sid: 'S1', uid: '1001', sequence });
    expect(offerInOrder(state, key(0), true)).toBeNull();
    state = offer(state, key(0), 'a', 1000, true).state;
    expect(offerInOrder(state, key(2), true)).toBeNull();
    expect(offerInOrder(state, key(0), true)).toBeNull();
    const next = offerInOrder(state, key(1), true);
    expect(next?.sids.get('S1')).toEqual([{ uid: '1001', next: 2, held: [] }]);
  });
});

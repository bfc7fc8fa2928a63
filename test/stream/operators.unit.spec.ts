import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { Signal } from '../../src/index.js';
import { dedupeSignals, reorderSignals } from '../../src/stream/index.js';

function note(seq: number, at: number, eventType = 40, sid = 'S1'): Signal {
  return {
    at,
    type: 'notification',
    notification: {
      known: false,
      noticeId: `${sid}-${eventType}-${seq}`,
      eventType,
      eventName: `event_${eventType}`,
      sid,
      uid: '1',
      cname: 'c',
      sequence: seq,
      sendts: at,
      legacy: false,
      details: {},
    },
  };
}

const tick = (at: number): Signal => ({ at, type: 'tick' });
const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('dedupeSignals', () => {
  it('drops second copies and tells about them', () => {
    const dropped: Signal[] = [];
    const values = { a: note(0, 0), b: note(0, 1), c: note(1, 2), t: tick(3) };
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('a-b-c-t|', values);
      expectObservable(source.pipe(dedupeSignals({ onDuplicate: (s) => dropped.push(s) }))).toBe(
        'a---c-t|',
        values,
      );
    });
    // The scheduler runs the marbles when `run` returns: only then has the copy been seen.
    expect(dropped).toEqual([values.b]);
  });
});

describe('reorderSignals (virtual time)', () => {
  it('holds an early notification and releases it, in order, when its predecessor comes', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const b = note(1, 0);
      const a = note(0, 5);
      const source = cold('b----a---|', { a, b });
      expectObservable(source.pipe(reorderSignals({ holdMs: 2000 }))).toBe('-----(xy)|', {
        x: { signal: a, gap: null, late: false, heldFor: 0 },
        y: { signal: b, gap: null, late: false, heldFor: 5 },
      });
    });
  });

  it('releases after the hold time on its own timer, with the gap noted', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const first = note(0, 0);
      const third = note(2, 10);
      const source = cold(`a 9ms c ${5000}ms |`, { a: first, c: third });
      expectObservable(source.pipe(reorderSignals({ holdMs: 100 }))).toBe(
        `x ${109}ms y ${4900}ms |`,
        {
          x: { signal: first, gap: null, late: false, heldFor: 0 },
          y: { signal: third, gap: { from: 1, to: 1 }, late: false, heldFor: 100 },
        },
      );
    });
  });

  it('passes other signals straight through', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const t = tick(0);
      expectObservable(cold('t|', { t }).pipe(reorderSignals())).toBe('x|', {
        x: { signal: t, gap: null, late: false, heldFor: 0 },
      });
    });
  });

  it('releases whatever is still held when the source completes', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const early = note(3, 0);
      expectObservable(cold('e|', { e: early }).pipe(reorderSignals())).toBe('-(x|)', {
        x: { signal: early, gap: { from: 0, to: 2 }, late: false, heldFor: 0 },
      });
    });
  });
});

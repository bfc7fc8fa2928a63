import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { Signal } from '../../src/signals/index.js';
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

  it('remembers a sid’s copies for 10 min after its session_exit (11), then forgets it', () => {
    const minute = 60_000;
    const values = {
      a: note(0, 0),
      x: note(1, 1_000, 11),
      b: note(0, 9 * minute),
      c: note(0, 12 * minute),
    };
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('a-x-b-c|', values);
      // Within 10 min of the exit, a copy is dropped; after, the sid is forgotten and it passes.
      expectObservable(source.pipe(dedupeSignals())).toBe('a-x---c|', values);
    });
  });
});

/** A failover notice (12): its order matters, so it may wait for a missing predecessor. */
function failover(seq: number, at: number): Signal {
  const base = note(seq, at, 12);
  if (base.type !== 'notification') throw new Error('a notification');
  return {
    ...base,
    notification: {
      ...base.notification,
      known: true,
      eventType: 12,
      eventName: 'session_failover',
      details: {},
    },
  } as Signal;
}

describe('reorderSignals (virtual time)', () => {
  it('holds a failover notice whose predecessor is missing, releasing it in order when it comes', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const a = note(0, 0);
      const c = failover(2, 1);
      const b = note(1, 5);
      const source = cold('ac---b---|', { a, b, c });
      expectObservable(source.pipe(reorderSignals({ holdMs: 2000 }))).toBe('x----(yz)|', {
        x: { signal: a, gap: null, late: false, heldFor: 0 },
        y: { signal: b, gap: null, late: false, heldFor: 0 },
        z: { signal: c, gap: null, late: false, heldFor: 4 },
      });
    });
  });

  it('never holds a stream’s first notification, nor what order cannot change', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const first = note(3, 0);
      const later = note(6, 1);
      expectObservable(cold('fl|', { f: first, l: later }).pipe(reorderSignals())).toBe('xy|', {
        x: { signal: first, gap: null, late: false, heldFor: 0 },
        y: { signal: later, gap: null, late: false, heldFor: 0 },
      });
    });
  });

  it('releases after the hold time on its own timer, with the gap noted', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const first = note(0, 0);
      const third = failover(2, 10);
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
      const first = note(0, 0);
      const early = failover(3, 0);
      expectObservable(cold('(fe|)', { f: first, e: early }).pipe(reorderSignals())).toBe('(xy|)', {
        x: { signal: first, gap: null, late: false, heldFor: 0 },
        y: { signal: early, gap: { from: 1, to: 2 }, late: false, heldFor: 0 },
      });
    });
  });
});

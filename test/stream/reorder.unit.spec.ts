import { describe, expect, it } from 'vitest';
import {
  advance,
  createReorder,
  forgetSid,
  heldCount,
  nextRelease,
  offer,
  type ReorderState,
} from '../../src/stream/index.js';

type R = ReorderState<string>;
const items = (released: readonly { item: string }[]) => released.map((r) => r.item);
const key = (sequence: number, uid = '1001', sid = 'S1') => ({ sid, uid, sequence });
/** Offers an item whose order matters (it may wait). */
const wait = (state: R, sequence: number, item: string, at: number, uid = '1001', sid = 'S1') =>
  offer(state, key(sequence, uid, sid), item, at, true);
/** Offers an item whose order does not matter (it never waits). */
const pass = (state: R, sequence: number, item: string, at: number, uid = '1001') =>
  offer(state, key(sequence, uid), item, at, false);

describe('reorder', () => {
  it('passes notifications that come in order', () => {
    let state: R = createReorder();
    const out: string[] = [];
    for (const [seq, item] of ['a', 'b', 'c'].entries()) {
      const result = wait(state, seq, item, 1000 + seq);
      state = result.state;
      out.push(...items(result.released));
    }
    expect(out).toEqual(['a', 'b', 'c']);
    expect(heldCount(state)).toBe(0);
  });

  it('never holds the first notification of a stream whose order does not matter', () => {
    const first = pass(createReorder<string>(), 4, 'e', 0);
    expect(first).toMatchObject({ held: false });
    expect(first.released).toMatchObject([{ item: 'e', gap: null, late: false, heldFor: 0 }]);
    expect(nextRelease(first.state)).toBeNull();
    expect(items(wait(first.state, 5, 'f', 10).released)).toEqual(['f']);
  });

  it('holds a first one whose order matters when numbers before it may come', () => {
    const first = wait(createReorder<string>(), 7, 'exit', 0);
    expect(first).toMatchObject({ held: true, released: [] });
    const leave = wait(first.state, 6, 'leave', 300);
    expect(items(leave.released)).toEqual([]);
    const expired = advance(leave.state, 2000);
    expect(items(expired.released)).toEqual(['leave', 'exit']);
    expect(wait(createReorder<string>(), 0, 'first', 0).held).toBe(false);
  });

  it('holds one whose predecessor is missing, and releases both in order when it comes', () => {
    let state = wait(createReorder<string>(), 0, 'a', 0).state;
    const held = wait(state, 2, 'c', 1000);
    expect(held).toMatchObject({ held: true, released: [] });
    state = held.state;
    const result = wait(state, 1, 'b', 1500);
    expect(result.released.map((r) => [r.item, r.gap, r.late, r.heldFor])).toEqual([
      ['b', null, false, 0],
      ['c', null, false, 500],
    ]);
  });

  it('after the hold time, releases in order with the gap noted', () => {
    let state: R = wait(createReorder<string>(), 0, 'a', 0).state;
    state = wait(state, 3, 'd', 1000).state;
    state = wait(state, 2, 'c', 1500).state;
    expect(nextRelease(state)).toBe(3000);
    expect(advance(state, 2999).released).toEqual([]);
    const result = advance(state, 3000);
    expect(result.released.map((r) => [r.item, r.gap])).toEqual([
      ['c', { from: 1, to: 1 }],
      ['d', null],
    ]);
    expect(nextRelease(result.state)).toBeNull();
  });

  it('passes at once what order cannot change, releasing first what waited before it', () => {
    let state: R = wait(createReorder<string>(), 0, 'a', 0).state;
    state = wait(state, 2, 'c', 100).state;
    const quit = pass(state, 4, 'e', 200);
    expect(quit.held).toBe(false);
    expect(quit.released.map((r) => [r.item, r.gap, r.heldFor])).toEqual([
      ['c', { from: 1, to: 1 }, 100],
      ['e', null, 0],
    ]);
    expect(nextRelease(quit.state)).toBeNull();
    expect(heldCount(quit.state)).toBe(0);
  });

  it('marks a notification late when its successors were already delivered, and delivers it', () => {
    let state: R = wait(createReorder<string>(), 0, 'a', 0).state;
    state = pass(state, 2, 'c', 100).state;
    const late = wait(state, 1, 'b', 2200);
    expect(late.released).toMatchObject([{ item: 'b', late: true, gap: null }]);
  });

  it('keeps each recorder uid of a sid its own stream (sequence may restart after a failover)', () => {
    let state: R = wait(createReorder<string>(), 0, 'old-40', 0).state;
    state = wait(state, 1, 'old-12', 10).state;
    const fresh = wait(state, 0, 'new-40', 20, '2002');
    expect(fresh.released).toMatchObject([{ item: 'new-40', late: false, uid: '2002' }]);
    const next = wait(fresh.state, 1, 'new-43', 30, '2002');
    expect(next.released).toMatchObject([{ item: 'new-43', late: false }]);
  });

  it('is right when sequence goes on across a failover too', () => {
    let state: R = wait(createReorder<string>(), 0, 'old-40', 0).state;
    state = wait(state, 1, 'old-12', 10).state;
    const fresh = pass(state, 2, 'new-40', 20, '2002');
    expect(fresh).toMatchObject({ held: false, released: [{ item: 'new-40', late: false }] });
    const next = wait(fresh.state, 3, 'new-12', 30, '2002');
    expect(next).toMatchObject({ held: false, released: [{ item: 'new-12' }] });
  });

  it('keeps sids independent', () => {
    let state: R = wait(createReorder<string>(), 0, 'w', 0).state;
    state = wait(state, 2, 'x', 0).state;
    const other = wait(state, 0, 'y', 10, '1001', 'S2');
    expect(items(other.released)).toEqual(['y']);
    expect(heldCount(other.state)).toBe(1);
  });

  it('releases a held copy with an equal sequence, marked late, once the next has moved past it', () => {
    let state: R = wait(createReorder<string>(), 0, 'a', 0).state;
    state = wait(state, 2, 'c40', 0).state;
    state = wait(state, 2, 'c43', 10).state;
    const result = wait(state, 1, 'b', 20);
    expect(result.released.map((r) => [r.item, r.late])).toEqual([
      ['b', false],
      ['c40', false],
      ['c43', true],
    ]);
  });

  it('releases everything still held when a sid is forgotten', () => {
    let state: R = wait(createReorder<string>(), 0, 'a', 0).state;
    state = wait(state, 5, 'f', 0).state;
    const result = forgetSid(state, 'S1', 700);
    expect(result.released).toMatchObject([{ item: 'f', gap: { from: 1, to: 4 }, heldFor: 700 }]);
    expect(heldCount(result.state)).toBe(0);
    expect(nextRelease(result.state)).toBeNull();
  });

  it('honours a custom hold time, given as an argument', () => {
    let state: R = wait(createReorder<string>(), 0, 'a', 0).state;
    state = offer(state, key(2), 'c', 0, true, { holdMs: 500 }).state;
    expect(nextRelease(state)).toBe(500);
    expect(items(advance(state, 500, { holdMs: 500 }).released)).toEqual(['c']);
  });
});

describe('a new recorder whose sequence goes on from the old one', () => {
  it('delivers its first order-sensitive notice (a 12) at once: nothing is missing under that reading', () => {
    let state = createReorder<string>();
    state = offer(state, { sid: 'S', uid: '1001', sequence: 0 }, 'a', 0, false).state;
    state = offer(state, { sid: 'S', uid: '1001', sequence: 1 }, 'b', 1, false).state;
    const failover = offer(state, { sid: 'S', uid: '2001', sequence: 2 }, '12', 2, true);
    expect(failover.held).toBe(false);
    expect(failover.released.map((r) => r.item)).toEqual(['12']);
  });

  it("still holds a new recorder's quit notice that skips numbers of every stream", () => {
    let state = createReorder<string>();
    state = offer(state, { sid: 'S', uid: '1001', sequence: 0 }, 'a', 0, false).state;
    const quit = offer(state, { sid: 'S', uid: '2001', sequence: 5 }, '11', 2, true);
    expect(quit.held).toBe(true);
    expect(quit.released).toEqual([]);
  });
});

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

describe('reorder', () => {
  it('passes notifications that come in order', () => {
    let state: R = createReorder();
    const out: string[] = [];
    for (const [seq, item] of ['a', 'b', 'c'].entries()) {
      const result = offer(state, 'S1', seq, item, 1000 + seq);
      state = result.state;
      out.push(...items(result.released));
    }
    expect(out).toEqual(['a', 'b', 'c']);
    expect(heldCount(state)).toBe(0);
  });

  it('holds one whose predecessor is missing, and releases both in order when it comes', () => {
    const held = offer(createReorder<string>(), 'S1', 1, 'b', 1000);
    expect(held).toMatchObject({ held: true, released: [] });
    const result = offer(held.state, 'S1', 0, 'a', 1500);
    expect(result.released.map((r) => [r.item, r.gap, r.late, r.heldFor])).toEqual([
      ['a', null, false, 0],
      ['b', null, false, 500],
    ]);
  });

  it('after the hold time, releases in order with the gap noted', () => {
    let state: R = offer(createReorder<string>(), 'S1', 0, 'a', 0).state;
    state = offer(state, 'S1', 3, 'd', 1000).state;
    state = offer(state, 'S1', 2, 'c', 1500).state;
    expect(nextRelease(state)).toBe(3000);
    expect(advance(state, 2999).released).toEqual([]);
    const result = advance(state, 3000);
    expect(result.released.map((r) => [r.item, r.gap])).toEqual([
      ['c', { from: 1, to: 1 }],
      ['d', null],
    ]);
    expect(nextRelease(result.state)).toBeNull();
  });

  it('marks a notification late when its successors were already delivered, and delivers it', () => {
    let state: R = offer(createReorder<string>(), 'S1', 0, 'a', 0).state;
    state = offer(state, 'S1', 2, 'c', 100).state;
    state = advance(state, 2100).state;
    const late = offer(state, 'S1', 1, 'b', 2200);
    expect(late.released).toMatchObject([{ item: 'b', late: true, gap: null }]);
  });

  it('waits for sequence 0 before a sid’s first higher sequence', () => {
    const result = offer(createReorder<string>(), 'S9', 4, 'e', 0);
    expect(result.held).toBe(true);
    expect(advance(result.state, 2000).released).toMatchObject([
      { item: 'e', gap: { from: 0, to: 3 } },
    ]);
  });

  it('keeps sids independent', () => {
    let state: R = offer(createReorder<string>(), 'S1', 1, 'x', 0).state;
    const other = offer(state, 'S2', 0, 'y', 10);
    state = other.state;
    expect(items(other.released)).toEqual(['y']);
    expect(heldCount(state)).toBe(1);
  });

  it('releases a held copy with an equal sequence, marked late, once the next has moved past it', () => {
    let state: R = offer(createReorder<string>(), 'S1', 1, 'b40', 0).state;
    state = offer(state, 'S1', 1, 'b43', 10).state;
    const result = offer(state, 'S1', 0, 'a', 20);
    expect(result.released.map((r) => [r.item, r.late])).toEqual([
      ['a', false],
      ['b40', false],
      ['b43', true],
    ]);
  });

  it('releases everything still held when a sid is forgotten', () => {
    const state = offer(createReorder<string>(), 'S1', 5, 'f', 0).state;
    const result = forgetSid(state, 'S1', 700);
    expect(result.released).toMatchObject([{ item: 'f', gap: { from: 0, to: 4 }, heldFor: 700 }]);
    expect(heldCount(result.state)).toBe(0);
    expect(nextRelease(result.state)).toBeNull();
  });

  it('honours a custom hold time', () => {
    const state = offer(createReorder<string>({ holdMs: 500 }), 'S1', 1, 'b', 0).state;
    expect(nextRelease(state)).toBe(500);
  });
});

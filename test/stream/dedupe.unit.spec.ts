import { describe, expect, it, vi } from 'vitest';
import {
  createDedupe,
  DEFAULT_DEDUPE_OPTIONS,
  type DedupeOptions,
  dedupe,
  dedupeSize,
  expireDedupe,
  finishSid,
  PersistentMap,
} from '../../src/stream/index.js';

const n = (
  sid: string,
  eventType: number,
  sequence: number,
  noticeId = `${sid}-${eventType}-${sequence}`,
  uid = '1001',
) => ({
  sid,
  uid,
  eventType,
  sequence,
  noticeId,
});

const opts = (options: Partial<DedupeOptions>): DedupeOptions => ({
  ...DEFAULT_DEDUPE_OPTIONS,
  ...options,
});

describe('dedupe', () => {
  it('lets the first copy through and flags a second with the same sid, eventType and sequence', () => {
    const first = dedupe(createDedupe(), n('S1', 40, 0), 1000);
    expect(first.duplicate).toBe(false);
    expect(dedupe(first.state, n('S1', 40, 0, 'resent-with-new-id'), 1100).duplicate).toBe(true);
  });

  it('flags a second copy with the same noticeId even if its sequence differs', () => {
    const first = dedupe(createDedupe(), n('S1', 40, 0, 'notice-1'), 1000);
    expect(dedupe(first.state, n('S1', 40, 7, 'notice-1'), 1100).duplicate).toBe(true);
  });

  it('tells apart the same sequence on another event type or another sid', () => {
    const first = dedupe(createDedupe(), n('S1', 40, 3), 1000);
    expect(dedupe(first.state, n('S1', 43, 3), 1001).duplicate).toBe(false);
    expect(dedupe(first.state, n('S2', 40, 3), 1001).duplicate).toBe(false);
  });

  it('leaves the state untouched on a duplicate', () => {
    const first = dedupe(createDedupe(), n('S1', 40, 0), 1000);
    expect(dedupe(first.state, n('S1', 40, 0), 5000).state).toBe(first.state);
  });

  it('forgets a finished sid once its retention has passed, not before', () => {
    const options = opts({ retainFinishedMs: 60_000 });
    let state = dedupe(createDedupe(), n('S1', 11, 5), 1000, options).state;
    state = finishSid(state, 'S1', 2000);
    state = expireDedupe(state, 61_999, options);
    expect(dedupe(state, n('S1', 11, 5), 61_999).duplicate).toBe(true);
    state = expireDedupe(state, 62_000, options);
    expect(dedupeSize(state)).toEqual({ sids: 0, keys: 0 });
    expect(dedupe(state, n('S1', 11, 5), 62_000).duplicate).toBe(false);
  });

  it('past maxKeys, forgets finished sids, earliest finished first, down to 90%', () => {
    // Each notification costs two keys (sequence and noticeId); cap 20 keys → keep at most 18.
    const options = opts({ maxKeys: 20 });
    let state = createDedupe();
    for (const [sid, at] of [
      ['A', 1],
      ['B', 2],
      ['C', 3],
      ['D', 4],
    ] as const) {
      state = dedupe(state, n(sid, 40, 0), at).state;
      state = dedupe(state, n(sid, 43, 1), at).state;
    }
    state = finishSid(state, 'C', 10);
    state = finishSid(state, 'B', 11);
    state = dedupe(state, n('A', 44, 2), 11, options).state;
    expect(dedupeSize(state).keys).toBe(18);
    state = dedupe(state, n('E', 40, 0), 12, options).state; // 20 keys
    state = dedupe(state, n('E', 43, 1), 13, options).state; // 22 > 20: C goes (finished first)
    expect(dedupeSize(state)).toEqual({ sids: 4, keys: 18 });
    expect(dedupe(state, n('C', 40, 0), 14).duplicate).toBe(false);
    expect(dedupe(state, n('B', 40, 0), 14).duplicate).toBe(true);
    state = dedupe(state, n('F', 40, 0), 14, options).state;
    state = dedupe(state, n('F', 43, 1), 15, options).state; // 22 > 20 again: B goes
    expect(dedupeSize(state)).toEqual({ sids: 4, keys: 18 });
    expect(dedupe(state, n('B', 40, 0), 16).duplicate).toBe(false);
    for (const sid of ['A', 'D', 'E', 'F'])
      expect(dedupe(state, n(sid, 40, 0), 16).duplicate).toBe(true);
  });

  it('never forgets a live sid for room: past maxKeys with nothing finished, it keeps them all', () => {
    const options = opts({ maxKeys: 10 });
    let state = createDedupe();
    for (const sid of ['A', 'B', 'C', 'D', 'E', 'F'])
      for (let i = 0; i < 2; i += 1) state = dedupe(state, n(sid, 43, i), i, options).state;
    expect(dedupeSize(state)).toEqual({ sids: 6, keys: 24 });
    for (const sid of ['A', 'B', 'C', 'D', 'E', 'F'])
      expect(dedupe(state, n(sid, 43, 0), 5, options).duplicate).toBe(true);
  });

  it('recognises every live sid’s duplicate at 20,000 recordings, keys 20× past maxKeys', () => {
    // The case (100 notifications each against 200,000 keys) at a tenth of the work:
    // 10 each against 20,000. Capped by keys, about 900 sids used to be kept.
    const options = opts({ maxKeys: 20_000 });
    let state = createDedupe();
    for (let i = 0; i < 10; i += 1)
      for (let r = 0; r < 20_000; r += 1)
        state = dedupe(state, n(`S${r}`, 33, i), 1_000 + i * 1_000, options).state;
    expect(dedupeSize(state)).toEqual({ sids: 20_000, keys: 400_000 });
    for (let r = 0; r < 20_000; r += 1)
      expect(dedupe(state, n(`S${r}`, 33, r % 10), 11_000, options).duplicate).toBe(true);
  }, 120_000);

  it('evicts one finished sid at a time off a queue, never walking every sid', () => {
    const options = opts({ maxKeys: 2_000 });
    let state = createDedupe();
    for (let r = 0; r < 1_000; r += 1) {
      state = dedupe(state, n(`S${r}`, 40, 0), r, options).state;
      if (r % 2 === 0) state = finishSid(state, `S${r}`, r);
    }
    const walks = [
      vi.spyOn(PersistentMap.prototype, 'entries'),
      vi.spyOn(PersistentMap.prototype, 'keys'),
      vi.spyOn(PersistentMap.prototype, 'values'),
    ];
    // 2,000 keys; one more notification is 2,002 > 2,000: finished sids go, earliest first,
    // until 1,800 keys remain: 101 of them (S0, S2, …, S200), and no live one.
    state = dedupe(state, n('S1', 43, 1), 1_000, options).state;
    for (const walk of walks) expect(walk).not.toHaveBeenCalled();
    for (const walk of walks) walk.mockRestore();
    expect(dedupeSize(state)).toEqual({ sids: 899, keys: 1_800 });
    expect(dedupe(state, n('S200', 40, 0), 1_001).duplicate).toBe(false);
    expect(dedupe(state, n('S202', 40, 0), 1_001).duplicate).toBe(true);
    for (let r = 1; r < 1_000; r += 2)
      expect(dedupe(state, n(`S${r}`, 40, 0), 1_001).duplicate).toBe(true);
  });

  it('turns a chatty sid’s window early past maxKeysPerSid, so it cannot grow without bound', () => {
    const options = opts({ maxKeysPerSid: 100 });
    let state = createDedupe();
    for (let i = 0; i < 1_000; i += 1) state = dedupe(state, n('S1', 33, i), i, options).state;
    expect(dedupeSize(state).keys).toBeLessThanOrEqual(2 * 100 + 2);
    // The last window and the one before are still known; the oldest keys are gone.
    expect(dedupe(state, n('S1', 33, 999), 1_000, options).duplicate).toBe(true);
    expect(dedupe(state, n('S1', 33, 950), 1_000, options).duplicate).toBe(true);
    expect(dedupe(state, n('S1', 33, 0), 1_000, options).duplicate).toBe(false);
  });

  it('remembers a key at least one window and forgets it after two, so a long recording stays small', () => {
    const options = opts({ windowMs: 1_000 });
    let state = createDedupe();
    state = dedupe(state, n('S1', 43, 0), 0, options).state;
    for (let i = 1; i <= 1_000; i += 1)
      state = dedupe(state, n('S1', 43, i), i * 10, options).state;
    // seq 900 was seen at 9,000: within a window of the last rotation, still known.
    expect(dedupe(state, n('S1', 43, 900), 10_000, options).duplicate).toBe(true);
    // seq 0 was seen at 0, more than two windows ago: forgotten.
    expect(dedupe(state, n('S1', 43, 0), 10_000, options).duplicate).toBe(false);
    expect(dedupeSize(state).keys).toBeLessThanOrEqual(2 * 2 * 100 + 2);
  });

  it('never takes another recorder uid’s notification for a copy (sequence may restart per uid)', () => {
    const first = dedupe(createDedupe(), n('S1', 40, 0, 'n1', '1001'), 1000);
    const other = dedupe(first.state, n('S1', 40, 0, 'n2', '2002'), 45_000);
    expect(other.duplicate).toBe(false);
    expect(dedupe(other.state, n('S1', 40, 0, 'n3', '2002'), 45_100).duplicate).toBe(true);
  });

  it('is right when sequence goes on across a failover too', () => {
    let state = dedupe(createDedupe(), n('S1', 40, 0, 'n1', '1001'), 1000).state;
    state = dedupe(state, n('S1', 12, 1, 'n2', '1001'), 2000).state;
    const next = dedupe(state, n('S1', 40, 2, 'n3', '2002'), 3000);
    expect(next.duplicate).toBe(false);
    expect(dedupe(next.state, n('S1', 40, 2, 'n4', '2002'), 3100).duplicate).toBe(true);
  });

  it('never takes a noticeId for a sequence key, whatever its characters', () => {
    const first = dedupe(createDedupe(), n('S1', 40, 0, 'x', '1001'), 1000);
    // Spelled as the first one's (eventType, sequence, uid) key is kept: still not a copy.
    const crafted = n('S1', 43, 5, '\u000140:0:1001');
    const second = dedupe(first.state, crafted, 1100);
    expect(second.duplicate).toBe(false);
    expect(dedupe(second.state, n('S1', 44, 9, '\u000140:0:1001'), 1200).duplicate).toBe(true);
    expect(dedupe(second.state, n('S1', 40, 0, 'y', '1001'), 1200).duplicate).toBe(true);
  });

  it('does not remember an empty noticeId: it identifies nothing', () => {
    const first = dedupe(createDedupe(), n('S1', 40, 0, ''), 1000);
    expect(dedupe(first.state, n('S1', 43, 1, ''), 1100).duplicate).toBe(false);
  });
});

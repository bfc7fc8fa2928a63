// The core's wake queue stays small whatever order time comes in: each recording has one live
// entry (at or before its wake), and replaced entries never pile up (issue 10: they leaked).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wakeOf } from '../../src/core/state.js';
import { type CoreState, createCore, step, stepUntrusted } from '../../src/index.js';
import { timeQueueEntries, timeQueueSize } from '../../src/stream/collections/index.js';
import { fleetArb } from './arbitraries.js';
import { alive, start, started, tick } from './inputs.js';

/** Every (at, recording) entry of the queue. */
function entries(state: CoreState): { at: number; recording: string }[] {
  return timeQueueEntries(state.wakes).map(([recording, at]) => ({ at, recording }));
}

function checkQueue(state: CoreState): void {
  const all = entries(state);
  expect(timeQueueSize(state.wakes)).toBe(all.length);
  expect(all.length).toBeLessThanOrEqual(2 * state.recordings.size + 16);
  for (const [recording, entry] of state.recordings.entries()) {
    const wake = wakeOf(entry);
    if (wake === null) continue;
    expect(entry.queued).not.toBeNull();
    expect(entry.queued as number).toBeLessThanOrEqual(wake);
    expect(
      all.filter((e) => e.recording === recording && e.at === entry.queued).length,
    ).toBeGreaterThan(0);
  }
}

describe('the core’s wake queue', () => {
  it('keeps one live entry per recording and a bounded queue under any order of time', () => {
    fc.assert(
      fc.property(fleetArb, fc.integer(), (trace, seed) => {
        // Time in any order: every input's `at` moved back or forth by up to a minute.
        let state = createCore();
        let x = seed >>> 0;
        for (const input of trace) {
          x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
          const shifted = { ...input, at: Math.max(0, input.at + ((x % 120_001) - 60_000)) };
          state = stepUntrusted(state, shifted).state;
          checkQueue(state);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('does not grow when a deadline keeps moving earlier without a tick (issue 10’s input)', () => {
    let state = createCore();
    for (const input of [start(0), started(1, 'S1'), tick(6), alive(6, 'S1')])
      state = step(state, input).state;
    for (let i = 0; i < 1_000; i += 1) {
      state = step(state, alive(100 + i, 'S1')).state;
      state = step(state, alive(95 + i, 'S1')).state;
    }
    expect(timeQueueSize(state.wakes)).toBeLessThanOrEqual(2 * state.recordings.size + 16);
    checkQueue(state);
  });
});

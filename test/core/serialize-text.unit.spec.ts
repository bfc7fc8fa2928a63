import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coreTextWork, finishWork, runWorkInSlices } from '../../src/core/serialize-text.js';
import { type CoreState, LiveCore, resolveCoreOptions, serializeCore } from '../../src/index.js';
import { fleetTrace } from '../fixtures/scenario.js';
import { fleetArb } from './arbitraries.js';

const expected = (state: CoreState, override?: Parameters<typeof serializeCore>[1]) =>
  JSON.stringify(serializeCore(state, override));

describe('a snapshot written a slice at a time', () => {
  it('is the text serializeCore gives, on any state', () => {
    const override = resolveCoreOptions({ retainFinishedMs: 0 });
    fc.assert(
      fc.property(fleetArb, fc.double({ min: 0, max: 1, noNaN: true }), (trace, cut) => {
        const core = new LiveCore();
        for (const input of trace.slice(0, Math.floor(cut * trace.length)))
          core.stepUntrusted(input);
        const state = core.snapshot();
        expect(finishWork(coreTextWork(state))).toBe(expected(state));
        expect(finishWork(coreTextWork(state, override))).toBe(expected(state, override));
      }),
      { numRuns: 40 },
    );
  });

  it('sorts thousands of keys as serializeCore does, and pauses along the way', () => {
    const trace = fleetTrace(
      2_500,
      { minutes: 1, failovers: 0, ending: 'none', restartReports: false, chatterPerMinute: 1 },
      { duplicate: 0, delay: 0, maxDelayMs: 0, loss: 0 },
      7,
    );
    const core = new LiveCore();
    for (const input of trace) core.stepUntrusted(input);
    const state = core.snapshot();
    expect(state.recordings.size).toBe(2_500);
    const work = coreTextWork(state);
    let pauses = 0;
    for (let next = work.next(); next.done !== true; next = work.next()) pauses += 1;
    expect(pauses).toBeGreaterThan(50);
    expect(finishWork(coreTextWork(state))).toBe(expected(state));
  });

  it("pauses within a sid's dedupe memory, however many keys it holds", () => {
    // Two recordings, each heard from a few hundred times a minute: a sid's memory holds
    // thousands of keys (the webhook bench's 50 sids at 40 a second held 1,000 each and were
    // written in one 150-ms slice).
    const trace = fleetTrace(
      2,
      { minutes: 10, failovers: 0, ending: 'none', restartReports: false, chatterPerMinute: 600 },
      { duplicate: 0, delay: 0, maxDelayMs: 0, loss: 0 },
      11,
    );
    const core = new LiveCore();
    for (const input of trace) core.stepUntrusted(input);
    const state = core.snapshot();
    expect(state.dedupe.sids.size).toBe(2);
    const keys = state.dedupe.keyCount;
    expect(keys).toBeGreaterThan(4_000);
    const work = coreTextWork(state);
    let pauses = 0;
    for (let next = work.next(); next.done !== true; next = work.next()) pauses += 1;
    // At least one pause per 256 keys collected, sorted or merged.
    expect(pauses).toBeGreaterThan(keys / 256);
    expect(finishWork(coreTextWork(state))).toBe(expected(state));
  });

  it('is the state at the snapshot even while the core steps on between slices', async () => {
    const trace = fleetTrace(
      300,
      { minutes: 5, failovers: 1, ending: 'none', restartReports: false, chatterPerMinute: 1 },
      { duplicate: 0.05, delay: 0.05, maxDelayMs: 1_900, loss: 0 },
      3,
    );
    const core = new LiveCore();
    const half = Math.floor(trace.length / 2);
    for (const input of trace.slice(0, half)) core.stepUntrusted(input);
    const state = core.snapshot();
    const then = expected(state);
    const work = coreTextWork(state);
    let rest = half;
    // One input stepped between every two slices of the work.
    let next = work.next();
    while (next.done !== true) {
      if (rest < trace.length) core.stepUntrusted(trace[rest++]);
      next = work.next();
    }
    expect(rest).toBeGreaterThan(half + 10);
    expect(next.value.join('')).toBe(then);
    expect((await runWorkInSlices(coreTextWork(state), 1)).join('')).toBe(then);
  });
});

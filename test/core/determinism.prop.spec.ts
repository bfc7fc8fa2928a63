import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CoreOutput,
  type CoreState,
  createCore,
  deserializeCore,
  replayUntrusted,
  resolveCoreOptions,
  serializeCore,
  stepUntrusted,
} from '../../src/index.js';
import { fleetArb } from './arbitraries.js';
import { fold } from './fold.js';

describe('replay is deterministic', () => {
  it('gives the same state and outputs, byte for byte, on every replay of a trace', () => {
    fc.assert(
      fc.property(fleetArb, (trace) => {
        const first = fold(trace);
        const second = fold(trace);
        expect(JSON.stringify(serializeCore(second.state))).toBe(
          JSON.stringify(serializeCore(first.state)),
        );
        expect(JSON.stringify(second.outputs)).toBe(JSON.stringify(first.outputs));
      }),
      { numRuns: 40 },
    );
  });

  it('gives the same result after serializing and reloading the state midway', () => {
    fc.assert(
      fc.property(fleetArb, fc.double({ min: 0, max: 1, noNaN: true }), (trace, cut) => {
        const whole = fold(trace);
        const at = Math.floor(cut * trace.length);
        const head = fold(trace.slice(0, at));
        const reloaded = deserializeCore(JSON.parse(JSON.stringify(serializeCore(head.state))));
        const tail = fold(trace.slice(at), reloaded);
        expect(JSON.stringify(serializeCore(tail.state))).toBe(
          JSON.stringify(serializeCore(whole.state)),
        );
        expect(JSON.stringify([...head.outputs, ...tail.outputs])).toBe(
          JSON.stringify(whole.outputs),
        );
      }),
      { numRuns: 40 },
    );
  });

  it('replays (updating a state it owns in place) exactly as folding step does', () => {
    fc.assert(
      fc.property(fleetArb, fc.double({ min: 0, max: 1, noNaN: true }), (trace, cut) => {
        const stepped = fold(trace);
        const at = Math.floor(cut * trace.length);
        const head = fold(trace.slice(0, at));
        const before = JSON.stringify(serializeCore(head.state));
        const outputs: CoreOutput[] = [...head.outputs];
        const replayed = replayUntrusted(trace.slice(at), {
          from: head.state,
          onOutput: (o) => outputs.push(o),
        });
        expect(JSON.stringify(serializeCore(replayed.state))).toBe(
          JSON.stringify(serializeCore(stepped.state)),
        );
        expect(JSON.stringify(outputs)).toBe(JSON.stringify(stepped.outputs));
        expect(JSON.stringify(serializeCore(head.state))).toBe(before);
        // The replayed state is an ordinary immutable state afterwards: stepping it leaves it be.
        const after = JSON.stringify(serializeCore(replayed.state));
        stepUntrusted(replayed.state, trace[0]);
        expect(JSON.stringify(serializeCore(replayed.state))).toBe(after);
      }),
      { numRuns: 40 },
    );
  });

  it('rebuilds and replays alike while finished recordings leave memory (at once, at most 1)', () => {
    const given = { retainFinishedMs: 0, maxFinishedRecordings: 1 };
    const options = resolveCoreOptions(given);
    const text = (state: CoreState) => JSON.stringify(serializeCore(state, options));
    fc.assert(
      fc.property(fleetArb, fc.double({ min: 0, max: 1, noNaN: true }), (trace, cut) => {
        const whole = fold(trace, createCore(), options);
        const at = Math.floor(cut * trace.length);
        const head = fold(trace.slice(0, at), createCore(), options);
        const saved = JSON.parse(JSON.stringify(serializeCore(head.state, options)));
        const tail = fold(trace.slice(at), deserializeCore(saved, options), options);
        expect(text(tail.state)).toBe(text(whole.state));
        expect(JSON.stringify([...head.outputs, ...tail.outputs])).toBe(
          JSON.stringify(whole.outputs),
        );
        const outputs: CoreOutput[] = [...head.outputs];
        const replayed = replayUntrusted(trace.slice(at), {
          from: head.state,
          options: given,
          onOutput: (o) => outputs.push(o),
        });
        expect(text(replayed.state)).toBe(text(whole.state));
        expect(JSON.stringify(outputs)).toBe(JSON.stringify(whole.outputs));
        let finished = 0;
        for (const entry of whole.state.recordings.values())
          if (entry.snapshot.status !== 'active') finished += 1;
        expect(finished).toBeLessThanOrEqual(1);
      }),
      { numRuns: 40 },
    );
  });

  it('never changes the state it is given', () => {
    fc.assert(
      fc.property(fleetArb, (trace) => {
        let state = createCore();
        for (const input of trace) {
          const before = JSON.stringify(serializeCore(state));
          const next = stepUntrusted(state, input).state;
          expect(JSON.stringify(serializeCore(state))).toBe(before);
          state = next;
        }
      }),
      { numRuns: 10 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CoreOutput,
  type CoreState,
  createCore,
  LiveCore,
  serializeCore,
  stepUntrusted,
} from '../../src/index.js';
import { timeQueueEntries } from '../../src/stream/collections/index.js';
import { fleetArb } from './arbitraries.js';

// The serialized state, and the wake queue's entries (not serialized: rebuilt at a load), which
// a live core changes in place between snapshots.
const text = (state: CoreState) =>
  JSON.stringify([serializeCore(state), timeQueueEntries(state.wakes)]);

describe('a core that owns its state', () => {
  it('gives the outputs and the snapshots folding step gives, and its snapshots never change', () => {
    fc.assert(
      fc.property(
        fleetArb,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
        (trace, cuts) => {
          // Snapshots at random positions, taken while the core goes on stepping.
          const at = new Set(cuts.map((cut) => Math.floor(cut * trace.length)));
          const core = new LiveCore();
          let state = createCore();
          const taken: { snapshot: CoreState; text: string }[] = [];
          for (let i = 0; i < trace.length; i += 1) {
            if (at.has(i)) {
              const snapshot = core.snapshot();
              expect(text(snapshot)).toBe(text(state));
              taken.push({ snapshot, text: text(state) });
            }
            const stepped = stepUntrusted(state, trace[i]);
            state = stepped.state;
            const outputs: readonly CoreOutput[] = core.stepUntrusted(trace[i]);
            expect(JSON.stringify(outputs)).toBe(JSON.stringify(stepped.outputs));
          }
          expect(text(core.snapshot())).toBe(text(state));
          expect(core.position).toBe(state.position);
          // Every snapshot is still the state at its own position.
          for (const { snapshot, text: then } of taken) expect(text(snapshot)).toBe(then);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('never changes the state it starts from', () => {
    fc.assert(
      fc.property(fleetArb, fc.double({ min: 0, max: 1, noNaN: true }), (trace, cut) => {
        const split = Math.floor(cut * trace.length);
        let head = createCore();
        for (const input of trace.slice(0, split)) head = stepUntrusted(head, input).state;
        const before = text(head);
        const core = new LiveCore(head);
        for (const input of trace.slice(split)) core.stepUntrusted(input);
        expect(text(head)).toBe(before);
      }),
      { numRuns: 30 },
    );
  });
});

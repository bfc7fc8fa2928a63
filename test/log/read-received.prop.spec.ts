// Reading an input once on receipt (readReceived) must act exactly as reading it again would:
// the signal is what normalizeInput gives, and stepping it is stepping the raw input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stepLine, stepSignal } from '../../src/core/index.js';
import { createCore, serializeCore, stepUntrusted } from '../../src/index.js';
import { idempotencyKeys, readReceived, streamOf, toLogItem } from '../../src/log/index.js';
import { normalizeInput } from '../../src/signals/index.js';
import { fleetArb } from '../core/arbitraries.js';

/** A fleet's inputs as a webhook endpoint gets them: some bodies as text, some inputs broken. */
const receivedArb = fc
  .tuple(fleetArb, fc.array(fc.nat(), { maxLength: 6 }), fc.boolean())
  .map(([trace, broken, asText]) => {
    const inputs: unknown[] = trace.map((input) =>
      asText && input.type === 'notification'
        ? { ...input, body: JSON.stringify(input.body) }
        : input,
    );
    for (const index of broken) inputs.splice(index % (inputs.length + 1), 0, { type: 'tick' });
    return inputs;
  });

describe('readReceived', () => {
  it('gives the signal normalizeInput gives, and steps the core as the raw input would', () => {
    fc.assert(
      fc.property(receivedArb, (inputs) => {
        let once = createCore();
        let again = createCore();
        const onceOutputs: unknown[] = [];
        const againOutputs: unknown[] = [];
        for (const [index, raw] of inputs.entries()) {
          const { item, signal } = readReceived(raw, 1_000 + index);
          const normalized = normalizeInput(raw);
          expect(signal).toEqual(normalized.ok ? normalized.value : null);
          const fresh = toLogItem(structuredClone(raw), 1_000 + index);
          // The remembered reading keys and files the item as a fresh parse of the same input does.
          expect(idempotencyKeys(item)).toEqual(idempotencyKeys(fresh));
          expect(streamOf(item)).toBe(streamOf(fresh));
          const result = signal === null ? stepLine(once, item) : stepSignal(once, signal);
          once = result.state;
          onceOutputs.push(...result.outputs);
          const reference = normalized.ok
            ? stepUntrusted(again, raw)
            : stepLine(again, {
                kind: 'reject',
                at: 1_000 + index,
                reason: normalized.error.message,
                raw,
              });
          again = reference.state;
          againOutputs.push(...reference.outputs);
        }
        expect(onceOutputs).toEqual(againOutputs);
        expect(serializeCore(once)).toEqual(serializeCore(again));
      }),
      { numRuns: 30 },
    );
  });
});

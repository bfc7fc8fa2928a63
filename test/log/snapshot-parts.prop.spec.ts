import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { snapshotParts } from '../../src/log/snapshot-parts.js';

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

describe("a snapshot's text in parts", () => {
  it('joins back to the text, each part but the last at least the size, none ending in a high surrogate', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary', maxLength: 9 }), { maxLength: 20 }),
        fc.integer({ min: 1, max: 12 }),
        (chunks, size) => {
          const parts = [...snapshotParts(chunks, size)];
          expect(parts.join('')).toBe(chunks.join(''));
          expect(parts.length).toBeGreaterThan(0);
          for (const part of parts.slice(0, -1)) {
            expect(part.length).toBeGreaterThanOrEqual(size - 1);
            expect(isHighSurrogate(part.charCodeAt(part.length - 1))).toBe(false);
          }
        },
      ),
    );
  });

  it('keeps a pair cut between two chunks in one part', () => {
    const [high, low] = ['\uD83D', '\uDE00'];
    expect([...snapshotParts([`"${high}`, `${low}`, '"'], 2)]).toEqual(['"', `${high}${low}`, '"']);
    expect([...snapshotParts([''], 4)]).toEqual(['']);
  });
});

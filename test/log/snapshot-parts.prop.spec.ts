import v8 from 'node:v8';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { snapshotParts } from '../../src/log/snapshot-parts.js';

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

describe("a snapshot's text in parts and pieces", () => {
  it('joins back to the text; parts hold at least the size, pieces at most theirs, none cut inside a pair', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary', maxLength: 30 }), { maxLength: 20 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 8 }),
        (chunks, size, pieceSize) => {
          const text = chunks.join('');
          const parts = [...snapshotParts(chunks, size, pieceSize)];
          const pieces = parts.flat();
          expect(pieces.join('')).toBe(text);
          expect(parts.length).toBeGreaterThan(0);
          if (text.length <= size) expect(parts).toHaveLength(1);
          for (const part of parts.slice(0, -1)) {
            expect(part.join('').length).toBeGreaterThanOrEqual(size);
          }
          for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(pieceSize + 1);
          for (const piece of pieces.slice(0, -1)) {
            expect(piece.length).toBeGreaterThan(0);
            expect(isHighSurrogate(piece.charCodeAt(piece.length - 1))).toBe(false);
          }
        },
      ),
    );
  });

  it('keeps a pair cut between two chunks, or by a slice, in one piece', () => {
    const [high, low] = ['\uD83D', '\uDE00'];
    expect([...snapshotParts([`"${high}`, `${low}`, '"'], 2, 2)]).toEqual([
      ['"', `${high}${low}`],
      ['"'],
    ]);
    expect([...snapshotParts([`ab${high}${low}cd`], 100, 3)]).toEqual([
      ['ab', `${high}${low}c`, 'd'],
    ]);
    expect([...snapshotParts(['{"a":', '1}'], 4, 2)]).toEqual([
      ['{"', 'a"'],
      [':1', '}'],
    ]);
  });

  it('gives an empty text as one empty part', () => {
    expect([...snapshotParts([''], 4)]).toEqual([['']]);
    expect([...snapshotParts([], 4)]).toEqual([['']]);
  });

  it('slices a chunk larger than a piece without copying it whole, and joins small ones', () => {
    const large = 'x'.repeat(10);
    expect([...snapshotParts([large, 'y', 'z'], 100, 4)]).toEqual([['xxxx', 'xxxx', 'xxyz']]);
  });

  it('never joins what waits to a large chunk whole: the first part copies about a part, not the chunk', () => {
    const heapUsed = () => v8.getHeapStatistics().used_heap_size;
    // 32 MB, one flat string on the heap (as a host's own JSON text may be), after a small chunk.
    const large = Array.from({ length: 32 }, (_, n) => String(n % 10).repeat(1 << 20)).join('');
    const parts = snapshotParts(['{"a":"', large, '"}']);
    const before = heapUsed();
    const first = parts.next();
    // '{"a":"' + the whole chunk, flattened to be sliced, was a 32 MB copy (150-190 ms at 100 MB).
    expect(heapUsed() - before).toBeLessThan(4 << 20);
    expect(
      (first.value as readonly string[]).join('') === `{"a":"${large.slice(0, (1 << 20) - 6)}`,
    ).toBe(true);
  });
});

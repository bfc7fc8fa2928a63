import v8 from 'node:v8';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { snapshotParts } from '../../src/log/snapshot-parts.js';

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** `part` is the large chunk `chunk` itself, less at most its first and its last unit. */
const isChunkAsItIs = (part: string, chunk: string) =>
  [0, 1].some((from) => [0, 1].some((cut) => chunk.slice(from, chunk.length - cut) === part));

describe("a snapshot's text in parts", () => {
  it('joins back to the text; none ends in a high surrogate; a large chunk is never joined to others', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary', maxLength: 20 }), { maxLength: 20 }),
        fc.integer({ min: 1, max: 12 }),
        (chunks, size) => {
          const text = chunks.join('');
          const parts = [...snapshotParts(chunks, size)];
          expect(parts.join('')).toBe(text);
          expect(parts.length).toBeGreaterThan(0);
          if (text.length <= size) expect(parts).toHaveLength(1);
          for (const part of parts.slice(0, -1)) {
            expect(part.length).toBeGreaterThan(0);
            expect(isHighSurrogate(part.charCodeAt(part.length - 1))).toBe(false);
          }
          // A part past two sizes can only be a large chunk as it came (small ones stop at size).
          const large = chunks.filter((chunk) => chunk.length >= size);
          for (const part of parts.filter((one) => one.length > 2 * size + 1)) {
            expect(large.some((chunk) => isChunkAsItIs(part, chunk))).toBe(true);
          }
        },
      ),
    );
  });

  it('keeps a pair cut between two chunks in one part', () => {
    const [high, low] = ['\uD83D', '\uDE00'];
    expect([...snapshotParts([`"${high}`, `${low}`, '"'], 2)]).toEqual(['"', `${high}${low}`, '"']);
    expect([...snapshotParts([''], 4)]).toEqual(['']);
    expect([...snapshotParts(['{"a":', '1}'], 4)]).toEqual(['{"a":', '1}']);
  });

  it('sends what waits before a large chunk as a part of its own, a pair kept whole', () => {
    const [high, low] = ['\uD83D', '\uDE00'];
    expect([...snapshotParts(['[', 'x'.repeat(8), ']'], 4)]).toEqual(['[', 'x'.repeat(8), ']']);
    expect([...snapshotParts([`[${high}`, `${low}${'x'.repeat(8)}`, ']'], 4)]).toEqual([
      `[${high}${low}`,
      'x'.repeat(8),
      ']',
    ]);
  });

  it('never copies a large chunk given after a small one: the first part copies nothing of it', () => {
    const heapUsed = () => v8.getHeapStatistics().used_heap_size;
    // 32 MB, one flat string on the heap (as a host's own JSON text may be), after a small chunk.
    const large = Array.from({ length: 32 }, (_, n) => String(n % 10).repeat(1 << 20)).join('');
    const parts = snapshotParts(['{"a":"', large, '"}']);
    const before = heapUsed();
    expect(parts.next().value).toBe('{"a":"');
    expect(parts.next().value === large).toBe(true);
    // '{"a":"' joined to the whole chunk was a 32 MB copy (150-190 ms at 100 MB).
    expect(heapUsed() - before).toBeLessThan(4 << 20);
    expect(parts.next().value).toBe('"}');
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonShapeProblem, MAX_DEPTH } from '../../src/signals/json-shape.js';

// An independent reading of the rule: no BigInt anywhere, no object or array nested MAX_DEPTH
// deep (a cycle nests without end). Bytes are not looked into.
function refused(value: unknown, depth = 0): boolean {
  if (typeof value === 'bigint') return true;
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return false;
  if (depth >= MAX_DEPTH) return true;
  // An array is its items (JSON writes no other property of it); an object its own fields.
  const items = Array.isArray(value) ? [...value] : Object.values(value);
  return items.some((item) => refused(item, depth + 1));
}

// Values around the limits: nested to either side of MAX_DEPTH, with a BigInt or a cycle in some.
const nested = fc
  .tuple(
    fc.anything({ withBigInt: true, maxDepth: 3 }),
    fc.integer({ min: MAX_DEPTH - 3, max: MAX_DEPTH + 1 }),
    fc.constantFrom('array', 'object', 'mixed'),
    fc.boolean(),
  )
  .map(([leaf, levels, kind, cycle]) => {
    let value: unknown = leaf;
    for (let level = 0; level < levels; level += 1) {
      const asArray = kind === 'array' || (kind === 'mixed' && level % 2 === 0);
      value = asArray ? [1, value] : { n: 1, inner: value };
    }
    if (cycle && typeof value === 'object' && value !== null) {
      (value as Record<string, unknown>).self = value;
    }
    return value;
  });

describe('jsonShapeProblem', () => {
  it('refuses exactly the values with a BigInt or nested MAX_DEPTH deep, and says why', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything({ withBigInt: true }), nested), (value) => {
        const problem = jsonShapeProblem(value);
        expect(problem !== undefined).toBe(refused(value));
        if (problem !== undefined) expect(problem.problem).toMatch(/BigInt|deeper|cycle/);
      }),
      { numRuns: 300 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SqliteGroupAppend } from '../../src/log/sqlite-commit.js';
import { packGroup, packPlans, unpackGroup, unpackPlans } from '../../src/log/sqlite-wire.js';
import type { WirePlan } from '../../src/log/sqlite-writer-protocol.js';

// Any text, surrogates and empty strings included: the packing must cut exactly where it joined.
const text = fc.string({ unit: 'binary', maxLength: 12 });
const item = fc.record({
  keys: fc.array(text, { minLength: 1, maxLength: 3 }) as fc.Arbitrary<[string, ...string[]]>,
  at: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  text,
});
const append: fc.Arbitrary<SqliteGroupAppend> = fc.record({
  stream: text,
  items: fc.array(item, { maxLength: 4 }),
  expected: fc.oneof(fc.constant('any' as const), fc.nat()),
});
const group = fc.array(append, { maxLength: 8 });

/** A plan for each append, as the writer thread could answer it. */
function plansFor(appends: readonly SqliteGroupAppend[], seed: number): WirePlan[] {
  return appends.map((each, n) => {
    const { stream, expected, items } = each;
    if (expected !== 'any' && (seed + n) % 3 === 0) {
      return { kind: 'conflict', stream, expected, actual: expected + 1 + n };
    }
    const positions = items.map((_, k) => seed + n * 10 + k + 1);
    const repeated = items.map((_, k) => (seed + k) % 2 === 0);
    const rows = repeated.filter((each) => !each).length;
    return { kind: 'write', rows, result: { positions, repeated, version: seed + rows } };
  });
}

describe("the SQLite writer thread's packed groups", () => {
  it('gives back every group as it was packed', () => {
    fc.assert(
      fc.property(group, (appends) => {
        expect(unpackGroup(packGroup(appends))).toEqual(appends);
      }),
    );
  });

  it("gives back every group's plans as they were packed", () => {
    fc.assert(
      fc.property(group, fc.nat({ max: 1_000_000 }), (appends, seed) => {
        const plans = plansFor(appends, seed);
        expect(unpackPlans(packPlans(plans), appends)).toEqual(plans);
      }),
    );
  });

  it('refuses plans that answer another group', () => {
    const one: SqliteGroupAppend[] = [{ stream: 's', items: [], expected: 0 }];
    const plans = packPlans(plansFor([...one, ...one], 1));
    expect(() => unpackPlans(plans, one)).toThrow(/do not answer/);
  });
});

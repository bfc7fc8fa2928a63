import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Edit,
  EMPTY_STRING_SET,
  hasString,
  type StringSet,
  stringSetOf,
  stringsOf,
  withString,
} from '../../../src/stream/collections/index.js';

const sorted = (set: StringSet) => [...stringsOf(set)].sort();

describe('StringSet', () => {
  it('behaves like a Set under any sequence of adds, and never changes an earlier version', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 6 }), { maxLength: 300 }), (keys) => {
        const model = new Set<string>();
        const versions: [StringSet, string[]][] = [];
        let set = EMPTY_STRING_SET;
        for (const key of keys) {
          set = withString(set, key);
          model.add(key);
          versions.push([set, [...model].sort()]);
        }
        expect(set.size).toBe(model.size);
        for (const key of keys) expect(hasString(set, key)).toBe(true);
        expect(hasString(set, '\u0000absent')).toBe(false);
        for (const [version, contents] of versions) expect(sorted(version)).toEqual(contents);
      }),
    );
  });

  it('holds 20,000 keys, shared hash prefixes and all, and returns itself for a known one', () => {
    let set = EMPTY_STRING_SET;
    for (let i = 0; i < 20_000; i += 1) set = withString(set, `40:${i}:1001`);
    expect(set.size).toBe(20_000);
    for (let i = 0; i < 20_000; i += 7) expect(hasString(set, `40:${i}:1001`)).toBe(true);
    expect(hasString(set, '40:20000:1001')).toBe(false);
    expect(withString(set, '40:5:1001')).toBe(set);
  });

  it('lists every string once, equal hashes included', () => {
    // k32728 and k261234 (and k32729 and k261235) have the same FNV-1a hash: collision slots.
    const keys = [
      ...Array.from({ length: 5_000 }, (_, i) => `40:${i}:1001`),
      ...['k32728', 'k261234', 'k32729', 'k261235'],
    ];
    const listed = [...stringsOf(stringSetOf(keys))];
    expect(listed).toHaveLength(keys.length);
    expect(new Set(listed)).toEqual(new Set(keys));
  });

  it('lists strings of equal hashes in one order, whichever came first', () => {
    const colliding = ['k32728', 'k261234', 'k32729', 'k261235', 'x'];
    const forward = [...stringsOf(stringSetOf(colliding))];
    expect([...stringsOf(stringSetOf([...colliding].reverse()))]).toEqual(forward);
    let plain = EMPTY_STRING_SET;
    for (const key of [...colliding].reverse()) plain = withString(plain, key);
    expect([...stringsOf(plain)]).toEqual(forward);
  });

  it('gives the same set with an edit token, and never changes a set reached without it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 4 }), { maxLength: 200 }),
        fc.array(fc.string({ maxLength: 4 }), { maxLength: 200 }),
        (before, during) => {
          const base = stringSetOf(before);
          const snapshot = sorted(base);
          const edit = new Edit();
          let transient = base;
          let plain = base;
          for (const key of during) {
            transient = withString(transient, key, edit);
            plain = withString(plain, key);
          }
          expect(sorted(base)).toEqual(snapshot);
          expect(transient.size).toBe(plain.size);
          expect(sorted(transient)).toEqual(sorted(plain));
        },
      ),
    );
  });
});

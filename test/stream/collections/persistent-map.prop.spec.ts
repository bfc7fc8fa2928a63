import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Edit, PersistentMap } from '../../../src/stream/collections/index.js';

const op = fc.oneof(
  fc.record({
    kind: fc.constant('set' as const),
    key: fc.string({ maxLength: 4 }),
    value: fc.integer(),
  }),
  fc.record({ kind: fc.constant('delete' as const), key: fc.string({ maxLength: 4 }) }),
);

describe('PersistentMap', () => {
  it('behaves like a Map under any sequence of sets and deletes', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        let map = PersistentMap.empty<number>();
        const model = new Map<string, number>();
        for (const o of ops) {
          if (o.kind === 'set') {
            map = map.set(o.key, o.value);
            model.set(o.key, o.value);
          } else {
            map = map.delete(o.key);
            model.delete(o.key);
          }
          expect(map.size).toBe(model.size);
        }
        for (const [key, value] of model) expect(map.get(key)).toBe(value);
        expect(new Map(map.entries())).toEqual(model);
      }),
    );
  });

  it('never changes an earlier version', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string(), { minLength: 1, maxLength: 200 }), (keys) => {
        const versions = [PersistentMap.empty<number>()];
        for (const [i, key] of keys.entries()) {
          versions.push((versions.at(-1) as PersistentMap<number>).set(key, i));
        }
        for (const [n, version] of versions.entries()) {
          expect(version.size).toBe(n);
          for (const [i, key] of keys.entries())
            expect(version.get(key)).toBe(i < n ? i : undefined);
        }
      }),
    );
  });

  it('iterates in an order that depends only on its keys', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string(), { maxLength: 200 }), fc.nat(), (keys, seed) => {
        const shuffled = [...keys].sort(
          (a, b) => ((a.length * 31 + seed) % 7) - ((b.length * 31 + seed) % 7),
        );
        const a = PersistentMap.from(keys.map((k) => [k, 1] as const));
        const b = PersistentMap.from(shuffled.map((k) => [k, 1] as const));
        expect([...a.keys()]).toEqual([...b.keys()]);
      }),
    );
  });

  it('walks every entry once: keys, values and entries in one order, equal hashes included', () => {
    // k32728 and k261234 (and k32729 and k261235) have the same FNV-1a hash: collision nodes.
    const keys = [
      ...Array.from({ length: 5_000 }, (_, i) => `sid-${i}`),
      ...['k32728', 'k261234', 'k32729', 'k261235'],
    ];
    const map = PersistentMap.from(keys.map((key, i) => [key, i] as const));
    const listed = [...map.keys()];
    expect(listed).toHaveLength(keys.length);
    expect(new Set(listed)).toEqual(new Set(keys));
    expect([...map.entries()]).toEqual(listed.map((key) => [key, map.get(key)]));
    expect([...map.values()]).toEqual(listed.map((key) => map.get(key)));
  });

  it('lists keys of equal hashes in one order, whichever came first', () => {
    const colliding = ['k32728', 'k261234', 'k32729', 'k261235'];
    const forward = PersistentMap.from(colliding.map((key) => [key, 1] as const));
    const backward = PersistentMap.from([...colliding].reverse().map((key) => [key, 1] as const));
    expect([...backward.keys()]).toEqual([...forward.keys()]);
    const edit = new Edit();
    let owned = PersistentMap.empty<number>();
    for (const key of [...colliding].reverse()) owned = owned.set(key, 1, edit);
    expect([...owned.keys()]).toEqual([...forward.keys()]);
  });

  it('returns itself when nothing changes', () => {
    const map = PersistentMap.empty<number>().set('a', 1);
    expect(map.set('a', 1)).toBe(map);
    expect(map.delete('zz')).toBe(map);
  });

  it('keeps colliding keys apart', () => {
    // Many keys guarantee shared hash prefixes and exercise deep branches.
    let map = PersistentMap.empty<number>();
    for (let i = 0; i < 20_000; i += 1) map = map.set(`sid-${i}`, i);
    for (let i = 0; i < 20_000; i += 3) map = map.delete(`sid-${i}`);
    expect(map.size).toBe(20_000 - Math.ceil(20_000 / 3));
    expect(map.get('sid-1')).toBe(1);
    expect(map.get('sid-3')).toBeUndefined();
  });
});

describe('PersistentMap with an edit token (transient updates)', () => {
  it('gives the same map as plain updates, and never changes a map reached without the token', () => {
    fc.assert(
      fc.property(
        fc.array(op, { maxLength: 200 }),
        fc.array(op, { maxLength: 200 }),
        (before, during) => {
          let base = PersistentMap.empty<number>();
          for (const o of before)
            base = o.kind === 'set' ? base.set(o.key, o.value) : base.delete(o.key);
          const snapshot = [...base.entries()];
          const edit = new Edit();
          let transient = base;
          let plain = base;
          for (const o of during) {
            transient =
              o.kind === 'set'
                ? transient.set(o.key, o.value, edit)
                : transient.delete(o.key, edit);
            plain = o.kind === 'set' ? plain.set(o.key, o.value) : plain.delete(o.key);
          }
          expect([...base.entries()]).toEqual(snapshot);
          expect(transient.size).toBe(plain.size);
          expect([...transient.entries()]).toEqual([...plain.entries()]);
        },
      ),
    );
  });
});

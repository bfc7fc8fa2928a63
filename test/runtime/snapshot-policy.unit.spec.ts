import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors/index.js';
import type { Decision } from '../../src/index.js';
import { SnapshotPolicy } from '../../src/runtime/index.js';

const decided = (recording: string | undefined): Decision => ({
  kind: 'decision',
  position: 1,
  at: 0,
  decision: 'applied',
  input: 'x',
  ...(recording !== undefined && { recording }),
});

describe('SnapshotPolicy', () => {
  it('is due once any recording has had N inputs since the last snapshot', () => {
    const policy = new SnapshotPolicy(3);
    expect(policy.observe([decided('r1'), decided('r2'), decided('r1')])).toBe(false);
    expect(policy.observe([decided(undefined), decided('r2')])).toBe(false);
    expect(policy.observe([decided('r1')])).toBe(true);
    policy.reset();
    expect(policy.observe([decided('r1'), decided('r1')])).toBe(false);
  });

  it('counts each recording from 0 after every reset, as a policy that empties its counts', () => {
    const op = fc.oneof(
      fc.constant<'reset'>('reset'),
      fc.array(fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }), { maxLength: 8 }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(op, { maxLength: 60 }), (n, ops) => {
        const policy = new SnapshotPolicy(n);
        const model = new Map<string, number>();
        for (const step of ops) {
          if (step === 'reset') {
            policy.reset();
            model.clear();
            continue;
          }
          let due = false;
          for (const r of step) {
            if (r === undefined) continue;
            const count = (model.get(`r${r}`) ?? 0) + 1;
            model.set(`r${r}`, count);
            if (count >= n) due = true;
          }
          expect(policy.observe(step.map((r) => decided(r === undefined ? r : `r${r}`)))).toBe(due);
        }
      }),
    );
  });

  it('counts afresh a recording whose key was dropped with those not heard from', () => {
    const policy = new SnapshotPolicy(3);
    const fleet = Array.from({ length: 3_000 }, (_, i) => decided(`r${i}`));
    expect(policy.observe([...fleet, ...fleet])).toBe(false);
    policy.reset();
    expect(policy.observe([decided('r1'), decided('r1')])).toBe(false);
    // Most of the map was not heard from since the last reset: dropped here.
    policy.reset();
    expect(policy.observe([decided('r1'), decided('r2'), decided('r1'), decided('r2')])).toBe(
      false,
    );
    expect(policy.observe([decided('r2')])).toBe(true);
  });

  it('refuses a nonsense cadence', () => {
    expect(() => new SnapshotPolicy(0)).toThrow(InvalidArgumentError);
  });
});

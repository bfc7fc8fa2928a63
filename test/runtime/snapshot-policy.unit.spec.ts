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

  it('refuses a nonsense cadence', () => {
    expect(() => new SnapshotPolicy(0)).toThrow(InvalidArgumentError);
  });
});

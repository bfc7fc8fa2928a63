import { describe, expect, it } from 'vitest';
import { type ClaimInput, planClaims } from '../../src/runtime/claim-plan.js';

const member = (holder: string) => ({ name: `instance:${holder}`, holder });
const owning = (recording: string, holder: string) => ({ name: `recording:${recording}`, holder });

const base: ClaimInput = {
  holder: 'a',
  held: [member('a'), member('b')],
  wanted: [],
  owned: new Set(),
  unownedSince: new Map(),
  now: 10_000,
  graceMs: 2_000,
  quietUntil: null,
};

describe('the claim plan', () => {
  it.each<[string, Partial<ClaimInput>, { acquire: string[]; release?: string[] }]>([
    [
      'spreads new recordings over the live instances, alternately',
      { wanted: ['r1', 'r2', 'r3', 'r4'] },
      { acquire: ['r1', 'r3'] },
    ],
    [
      'gives the next one to the least loaded',
      { wanted: ['r1'], held: [member('a'), member('b'), owning('r0', 'a')] },
      { acquire: [] },
    ],
    [
      'takes one meant for another once the grace has passed',
      { wanted: ['r2'], unownedSince: new Map([['r2', 7_000]]) },
      { acquire: ['r2'] },
    ],
    [
      'leaves one held by another alone',
      { wanted: ['r1'], held: [member('a'), member('b'), owning('r1', 'b')] },
      { acquire: [] },
    ],
    [
      'does not count a holder that is no member (leaving) as a target',
      { wanted: ['r1', 'r2'], held: [member('a'), owning('r9', 'c')] },
      { acquire: ['r1', 'r2'] },
    ],
    [
      'releases what it holds and has ended',
      {
        wanted: ['r1'],
        owned: new Set(['r1', 'r5']),
        held: [member('a'), owning('r1', 'a'), owning('r5', 'a')],
      },
      { acquire: [], release: ['r5'] },
    ],
    [
      'claims nothing while quiet after an outage',
      { wanted: ['r1', 'r2'], quietUntil: 11_000 },
      { acquire: [] },
    ],
    [
      'after the quiet, spreads instead of taking all it saw unowned meanwhile',
      {
        wanted: ['r1', 'r2', 'r3', 'r4'],
        quietUntil: 9_500,
        unownedSince: new Map([
          ['r1', 1_000],
          ['r2', 1_000],
          ['r3', 1_000],
          ['r4', 1_000],
        ]),
      },
      { acquire: ['r1', 'r3'] },
    ],
  ])('%s', (_, input, expected) => {
    const plan = planClaims({ ...base, ...input });
    expect(plan.acquire).toEqual(expected.acquire);
    expect(plan.release).toEqual(expected.release ?? []);
  });

  it('agrees between instances reading the same leases: each recording has one target', () => {
    const wanted = Array.from({ length: 9 }, (_, i) => `r${i}`);
    const held = [member('a'), member('b'), member('c')];
    const taken = ['a', 'b', 'c'].flatMap(
      (holder) => planClaims({ ...base, holder, held, wanted }).acquire,
    );
    expect([...taken].sort()).toEqual(wanted);
  });

  it('names what others hold', () => {
    const plan = planClaims({ ...base, held: [member('a'), owning('r1', 'b'), owning('r2', 'a')] });
    expect([...plan.others]).toEqual(['r1']);
  });
});

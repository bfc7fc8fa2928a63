// The untrusted entries never throw, even for values that throw when read (a getter, a proxy's
// traps): each is a recorded reject with the reason, as the journal already records it.
import { describe, expect, it } from 'vitest';
import { createCore, replayUntrusted, stepUntrusted } from '../../src/index.js';

const T0 = 1_700_000_000_000;

/** Values whose reading throws: a getter on `type`, on `at`, on `kind`, and a proxy of traps. */
function hostileValues(): unknown[] {
  const boom = (): never => {
    throw new Error('boom');
  };
  return [
    {
      at: T0,
      get type(): string {
        return boom();
      },
    },
    {
      type: 'tick',
      get at(): number {
        return boom();
      },
    },
    {
      get kind(): string {
        return boom();
      },
    },
    new Proxy({}, { get: boom, has: boom, ownKeys: boom, getOwnPropertyDescriptor: boom }),
  ];
}

describe('untrusted values that throw when read', () => {
  it('stepUntrusted decides each rejected, with the reason, at the core time', () => {
    for (const value of hostileValues()) {
      const { outputs } = stepUntrusted(createCore(), value);
      expect(outputs).toMatchObject([
        { kind: 'decision', decision: 'rejected', reason: expect.stringContaining('boom') },
      ]);
    }
  });

  it('replayUntrusted folds them all as rejects and goes on to the next input', () => {
    const decisions: string[] = [];
    const start = { at: T0, type: 'start', recording: 'r1', cname: 'c', uid: '1', mode: 'mix' };
    replayUntrusted([...hostileValues(), start], {
      onOutput: (output) => {
        if (output.kind === 'decision') decisions.push(output.decision);
      },
    });
    expect(decisions).toEqual(['rejected', 'rejected', 'rejected', 'rejected', 'applied']);
  });
});

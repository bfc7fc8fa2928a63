// A receive whose own entry a `follow()` stepped first (an instance catching up on a shared log
// between the append's commit and its act): the receive still learns what its step gave.
import { describe, expect, it } from 'vitest';
import { type AppendResult, createMemoryLog, Journal, type TraceRecord } from '../../src/index.js';
import { at } from '../core/inputs.js';
import { delegate } from './delegate.js';

const startR1: TraceRecord = {
  at: at(0),
  type: 'start',
  recording: 'r1',
  cname: 'c',
  uid: '1',
  mode: 'mix',
};
const startSentR1: TraceRecord = {
  at: at(1),
  type: 'startSent',
  recording: 'r1',
  resourceId: 'RES-1',
  uid: '1',
};

/** A log whose appends are stored at once but acknowledged only when the test says so. */
function heldAcknowledgements() {
  const inner = createMemoryLog();
  const held: (() => void)[] = [];
  const log = {
    ...delegate(inner),
    append: async (...args: Parameters<typeof inner.append>): Promise<AppendResult> => {
      const result = await inner.append(...args);
      await new Promise<void>((resolve) => held.push(resolve));
      return result;
    },
  };
  const releaseAll = () => {
    for (const release of held.splice(0)) release();
  };
  return { log, releaseAll };
}

describe('Journal: an entry a follow stepped first', () => {
  it('gives its receive the outputs of its own step (the start the chart answered), marked actedBefore', async () => {
    const { log, releaseAll } = heldAcknowledgements();
    const journal = await Journal.open(log);
    const first = journal.receive(startR1);
    await new Promise((resolve) => setImmediate(resolve));
    releaseAll();
    await first;
    const sent = journal.receive(startSentR1);
    // Stored, not yet acknowledged: a catch-up with the log steps it first.
    await new Promise((resolve) => setImmediate(resolve));
    const followed = await journal.follow();
    expect(followed).toContainEqual(
      expect.objectContaining({ kind: 'effect', type: 'start', resourceId: 'RES-1' }),
    );
    releaseAll();
    const received = await sent;
    expect(received.actedBefore).toBe(true);
    expect(received.outputs).toContainEqual(
      expect.objectContaining({ kind: 'effect', type: 'start', resourceId: 'RES-1' }),
    );
    // Stepped once: the core is at its position, and a second follow has nothing.
    expect(journal.view.position).toBe(received.position);
    expect(await journal.follow()).toEqual([]);
    await journal.close();
  });

  it('a receive acted on as usual is not marked', async () => {
    const journal = await Journal.open(createMemoryLog());
    const received = await journal.receive(startR1);
    expect(received.actedBefore).toBeUndefined();
    expect(received.outputs.length).toBeGreaterThan(0);
    await journal.close();
  });
});

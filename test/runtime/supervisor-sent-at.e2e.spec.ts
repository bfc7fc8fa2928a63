// Rule 9 compares a notification's sendts with when a query was *sent*: the shell must record
// that time (`sentAt`) with every answer, taken before the call, not when the answer came.
import { afterEach, describe, expect, it } from 'vitest';
import type { TraceRecord } from '../../src/index.js';
import { type Supervised, supervised } from '../fixtures/supervised.js';

let harness: Supervised | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const inputsOf = (h: Supervised): TraceRecord[] => {
  const records: TraceRecord[] = [];
  h.supervisor.steps$.subscribe((step) => {
    if (step.item.kind === 'input') records.push(step.item.record as TraceRecord);
  });
  return records;
};

describe('the supervisor records when each call was sent', () => {
  it('gives a slow query answer the time the query left, not the time it came back', async () => {
    harness = await supervised();
    const records = inputsOf(harness);
    await harness.supervisor.start({ recording: 'r1', cname: 'room1', uid: '1001', mode: 'raw' });
    await harness.settle();
    expect(harness.supervisor.get('r1')?.state).toBe('recording');
    const release = harness.agora.holdAnswers('query');
    // Time moves on until the next poll has reached Agora, where its answer is held. (No
    // settling meanwhile: the supervisor's settle() would wait for the held call.)
    for (let turns = 0; harness.agora.held() === 0; turns += 1) {
      if (turns > 500) throw new Error('no poll reached Agora');
      harness.clock.advanceBy(500);
      for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setImmediate(resolve));
    }
    const reached = harness.clock.now();
    harness.clock.advanceBy(4_000);
    release();
    await harness.settle();
    const query = records.filter((r) => r.type === 'query').at(-1);
    expect(query).toMatchObject({ sentAt: expect.any(Number) });
    if (query?.type !== 'query') return;
    expect(query.at - (query.sentAt ?? query.at)).toBeGreaterThanOrEqual(4_000);
    expect(query.sentAt).toBeLessThanOrEqual(reached);
  });

  it('records sentAt with the start and the stop answers too', async () => {
    harness = await supervised();
    const records = inputsOf(harness);
    await harness.supervisor.start({ recording: 'r1', cname: 'room1', uid: '1001', mode: 'mix' });
    await harness.settle();
    await harness.supervisor.stop('r1');
    await harness.settle();
    for (const type of ['started', 'stopResult'] as const) {
      const record = records.find((r) => r.type === type);
      expect(record, type).toMatchObject({ sentAt: expect.any(Number) });
      if (record !== undefined && 'sentAt' in record)
        expect(record.sentAt).toBeLessThanOrEqual(record.at);
    }
  });
});

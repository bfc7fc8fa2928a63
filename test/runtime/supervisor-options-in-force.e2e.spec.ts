// The supervisor's deadline timer reads the options in force (rule 12), not a default: with a
// 60 s hold for notifications of an unknown sid, nothing is due at 30 s (the old default), and
// no tick is appended on every timer turn after it.
import { afterEach, describe, expect, it } from 'vitest';
import type { JournalStep } from '../../src/runtime/index.js';
import { type Supervised, supervised, T0 } from '../fixtures/supervised.js';

let harness: Supervised | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const unknownSid = {
  noticeId: 'n-1',
  productId: 3,
  eventType: 40,
  notifyMs: T0,
  payload: {
    cname: 'room9',
    uid: '9009',
    sid: 'S-nobody',
    sequence: 0,
    sendts: T0,
    serviceType: 0,
    details: { msgName: 'recorder_started', status: 0 },
  },
};

describe('the options in force decide when the supervisor wakes', () => {
  it('holds a notification of an unknown sid for the host’s 60 s, with no tick before', async () => {
    const h = await supervised({ overrides: { core: { unknownSidHoldMs: 60_000 } } });
    harness = h;
    const steps: JournalStep[] = [];
    h.supervisor.steps$.subscribe((step) => steps.push(step));
    expect(await h.supervisor.receiveWebhook(unknownSid)).toBe('accepted');
    await h.advance(45_000);
    const ticks = () =>
      steps.filter(
        (s) => s.item.kind === 'input' && (s.item.record as { type: string }).type === 'tick',
      );
    expect(ticks()).toEqual([]);
    await h.advance(20_000);
    expect(ticks().length).toBeGreaterThanOrEqual(1);
    expect(ticks().length).toBeLessThanOrEqual(2);
    const unrouted = steps.flatMap((s) =>
      s.outputs.filter((o) => o.kind === 'decision' && o.decision === 'unrouted'),
    );
    expect(unrouted).toHaveLength(1);
  });
});

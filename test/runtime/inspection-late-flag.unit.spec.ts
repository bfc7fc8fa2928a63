// The inspectors show the machine events the core delivered, exactly: a late 12 carries its
// `late` flag (replayed without it, it would move the recording to failoverPending, which the
// core did not do).
import { describe, expect, it } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { createCore, stepUntrusted } from '../../src/core/index.js';
import { createInspectionBridge } from '../../src/runtime/inspection-bridge.js';
import { note, start, started, tick } from '../core/inputs.js';

describe('what the inspectors are told a machine received', () => {
  it('is the late 12 with its late flag, and the state the core kept', () => {
    const seen: InspectionEvent[] = [];
    const bridge = createInspectionBridge({ next: (event) => seen.push(event) });
    let state = createCore();
    for (const record of [
      start(0),
      started(1, 'S1'),
      note(2, 'S1', 0, 40),
      note(3, 'S1', 2, 42),
      tick(6),
      note(7, 'S1', 1, 12, { newUid: 3003 }, { sentAt: 2.5 }),
    ]) {
      const result = stepUntrusted(state, record);
      bridge.follow(state, { kind: 'input', record }, result);
      state = result.state;
    }
    const events = seen.flatMap((e) =>
      e.type === '@xstate.event'
        ? [e.event as { notification?: { eventType?: number; late?: boolean } }]
        : [],
    );
    const twelve = events.find((event) => event.notification?.eventType === 12);
    expect(twelve?.notification?.late).toBe(true);
    const last = seen.flatMap((e) => (e.type === '@xstate.snapshot' ? [e.snapshot] : [])).at(-1);
    expect((last as unknown as { value: unknown }).value).toEqual({
      recording: 'healthy',
    });
  });
});

// The host's clientRequest callback failing: a throw is a transport failure (the start is retried
// with backoff), a value that is not an object is a configuration error.
import { afterEach, describe, expect, it } from 'vitest';
import { eventsOf, type Supervised, supervised } from '../fixtures/supervised.js';

let harness: Supervised | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const r1 = { recording: 'r1', cname: 'room1', uid: '1001', mode: 'mix' } as const;

describe("the host's clientRequest", () => {
  it('throwing once is retried with backoff and the recording starts; no configuration failure', async () => {
    let calls = 0;
    const h = await supervised({
      overrides: {
        clientRequest: () => {
          calls += 1;
          if (calls === 1) throw new Error('token service unreachable: tok-SECRET-in-message');
          return { token: 'tok' };
        },
      },
    });
    harness = h;
    await h.supervisor.start(r1);
    await h.advance(30_000);
    expect(calls).toBe(2);
    expect(h.supervisor.get('r1')).toMatchObject({ state: 'recording' });
    expect(eventsOf(h.events, 'failed')).toEqual([]);
    expect(h.agora.live()).toHaveLength(1);
    // The thrown message (which may hold what the callback was building) is logged nowhere.
    expect(h.lines.join('\n')).not.toContain('tok-SECRET-in-message');
    expect(h.lines.some((line) => line.includes('clientRequest for r1 threw Error'))).toBe(true);
  });

  it('returning something other than an object fails the recording with reason configuration', async () => {
    const h = await supervised({ overrides: { clientRequest: () => 42 as unknown as object } });
    harness = h;
    await h.supervisor.start(r1);
    await h.advance(30_000);
    expect(h.supervisor.get('r1')).toMatchObject({ state: 'failed', quitReason: 'configuration' });
    expect(h.agora.live()).toEqual([]);
  });
});

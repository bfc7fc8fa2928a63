// Rule 11, live: a start that reached Agora but whose answer timed out (a real report) is the
// start's session, adopted from its notifications, with no second start and no second recorder.
import { afterEach, describe, expect, it } from 'vitest';
import { eventsOf, type Supervised, supervised } from '../fixtures/supervised.js';

let harness: Supervised | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const r1 = {
  recording: 'r1',
  cname: 'room1',
  uid: '1001',
  mode: 'mix',
  backupUid: '1002',
} as const;

describe('a start whose answer is lost while its recorder comes up', () => {
  it('ends recording on the session its notifications name, with one start sent', async () => {
    const h = await supervised();
    harness = h;
    // Agora starts the recorder (and notifies) but the answer never comes back.
    h.agora.loseStartAnswers(1);
    await h.supervisor.start(r1);
    await h.advance(15_000);
    const [session] = h.agora.live();
    expect(h.agora.live()).toHaveLength(1);
    expect(h.supervisor.get('r1')).toMatchObject({ state: 'recording', sid: session?.sid });
    await h.advance(120_000);
    expect(h.agora.requests().filter((r) => r.kind === 'start')).toHaveLength(1);
    expect(h.agora.live()).toHaveLength(1);
    expect(h.supervisor.get('r1')).toMatchObject({ state: 'recording', sid: session?.sid });
    expect(eventsOf(h.events, 'adopted')).toEqual([
      expect.objectContaining({ recording: 'r1', sid: session?.sid, uid: '1001' }),
    ]);
    expect(eventsOf(h.events, 'restarting')).toEqual([]);
  });

  it('sends no second start with the same uid while the first may run, and then uses the other', async () => {
    const h = await supervised();
    harness = h;
    // No notification names the session: nothing can tell that the start worked.
    h.agora.setNotify(false);
    h.agora.loseStartAnswers(1);
    await h.supervisor.start(r1);
    const sent = () => h.agora.requests().filter((r) => r.kind === 'start');
    // Settling for 20 s (this harness's settleStartMs): nothing is sent meanwhile.
    await h.advance(19_000);
    expect(sent()).toHaveLength(1);
    expect(h.supervisor.get('r1')?.state).toBe('starting');
    await h.advance(5_000);
    expect(sent()).toHaveLength(2);
    expect((sent()[1]?.body as { uid?: string } | undefined)?.uid).toBe('1002');
  });
});

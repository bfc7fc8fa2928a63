// The lifecycle scenarios of issue 13, end to end: the supervisor against the fake Agora on
// loopback, on a virtual clock; each compares the supervisor's picture with what Agora did.
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

async function running(notify = true): Promise<{ h: Supervised; sid: string }> {
  const h = await supervised({ notify });
  harness = h;
  await h.supervisor.start(r1);
  await h.advance(10_000);
  const sid = h.supervisor.get('r1')?.sid;
  expect(h.supervisor.get('r1')?.state).toBe('recording');
  expect(h.agora.live().map((s) => s.sid)).toEqual([sid]);
  return { h, sid: sid as string };
}

/** Every live Agora session belongs to a supervised recording, at most one per recording. */
function expectNoOrphanNorDouble(h: Supervised): void {
  const live = h.agora.live();
  const owned = new Set(h.supervisor.list().map((p) => p.sid));
  for (const session of live) expect(owned).toContain(session.sid);
  const perRecording = new Map<string, number>();
  for (const picture of h.supervisor.list()) {
    const count = live.filter((s) => s.sid === picture.sid).length;
    perRecording.set(picture.recording, count);
  }
  expect(live.length).toBe([...perRecording.values()].reduce((a, b) => a + b, 0));
}

describe('supervisor scenarios', () => {
  it('a quit with notifications is a domain event at once, the restart gets a new sid, and late old-sid quits change nothing', async () => {
    const { h, sid } = await running();
    const quitAt = h.clock.now();
    h.agora.quit(sid, 0);
    await h.settle();
    const [quit] = eventsOf(h.events, 'quit');
    expect(quit).toMatchObject({ sid, reason: 'exited' });
    expect((quit?.observedAt ?? Number.NaN) - quitAt).toBe(0);
    await h.advance(20_000);
    const restarted = h.supervisor.get('r1');
    expect(restarted).toMatchObject({ state: 'recording', restarts: 1 });
    expect(restarted?.sid).not.toBe(sid);
    expect(h.agora.live().map((s) => s.sid)).toEqual([restarted?.sid]);
    // Redundant quits for the old sid (Agora's redundant delivery): nothing moves.
    const before = h.events.length;
    h.agora.notifyEvent(sid, 11, { msgName: 'session_exit', exitStatus: 0 });
    h.agora.notifyEvent(sid, 31, { msgName: 'uploaded', status: 0, fileList: [] });
    await h.advance(5_000);
    expect(h.supervisor.get('r1')).toMatchObject({
      state: 'recording',
      sid: restarted?.sid,
      restarts: 1,
    });
    expect(h.events.slice(before).filter((e) => e.type !== 'filesReported')).toEqual([]);
    expectNoOrphanNorDouble(h);
  });

  it('with every webhook lost, query alone finds the quit (within a poll and the 404 probing) and the restart', async () => {
    const { h, sid } = await running(false);
    expect(h.agora.deliveries()).toEqual([]);
    const quitAt = h.clock.now();
    h.agora.quit(sid, 0);
    await h.advance(180_000);
    const [quit] = eventsOf(h.events, 'quit');
    expect(quit).toMatchObject({ sid, reason: 'lost' });
    const delay = (quit?.observedAt ?? Number.NaN) - quitAt;
    // At most a poll interval and the 5 + 10 + 15 + 30 + 35 s of 404 probing (rule 3), each
    // query up to 2 s of jitter late.
    expect(delay).toBeGreaterThan(95_000);
    expect(delay).toBeLessThanOrEqual(60_000 + 95_000 + 6 * 2_000);
    await h.advance(60_000);
    const picture = h.supervisor.get('r1');
    expect(picture).toMatchObject({ state: 'recording', restarts: 1 });
    expect(picture?.sid).not.toBe(sid);
    expect(h.agora.live().map((s) => s.uid)).toEqual([picture?.uid]);
    expectNoOrphanNorDouble(h);
  });

  it('follows a failover through its 404s to the new uid and the bak0_ playlist', async () => {
    const { h, sid } = await running();
    h.agora.failover(sid, '2001', 40_000);
    await h.settle();
    expect(h.supervisor.get('r1')).toMatchObject({
      state: 'failoverPending',
      uid: '2001',
      haAttempts: 1,
    });
    await h.advance(60_000);
    expect(h.agora.requests().some((r) => r.kind === 'query' && r.status === 404)).toBe(true);
    expect(h.supervisor.get('r1')).toMatchObject({
      state: 'recording',
      sid,
      uid: '2001',
      haAttempts: 1,
      filePrefix: 'bak0_',
      restarts: 0,
    });
    expect(eventsOf(h.events, 'failover')).toHaveLength(1);
    expectNoOrphanNorDouble(h);
  });

  it('after a 4th failure, quits with haExhausted and restarts the recording', async () => {
    const { h, sid } = await running();
    for (const uid of ['2001', '2002', '2003']) {
      h.agora.failover(sid, uid, 5_000);
      await h.advance(30_000);
    }
    expect(h.supervisor.get('r1')).toMatchObject({ state: 'recording', haAttempts: 3 });
    h.agora.failover(sid, '2004', 5_000);
    await h.advance(30_000);
    expect(eventsOf(h.events, 'quit')).toMatchObject([{ sid, reason: 'haExhausted' }]);
    const picture = h.supervisor.get('r1');
    expect(picture).toMatchObject({
      state: 'recording',
      restarts: 1,
      haAttempts: 0,
      filePrefix: '',
    });
    expect(h.agora.requests().filter((r) => r.kind === 'start')).toHaveLength(2);
    expect(picture?.sid).not.toBe(sid);
    expectNoOrphanNorDouble(h);
  });

  it('an idle exit is reported and not restarted', async () => {
    const { h, sid } = await running();
    h.agora.notifyEvent(sid, 41, { msgName: 'recorder_leave', leaveCode: 4 });
    h.agora.quit(sid, 0);
    await h.advance(60_000);
    expect(h.supervisor.get('r1')).toMatchObject({ quitReason: 'idle', restarts: 0 });
    expect(h.agora.live()).toEqual([]);
    expect(h.agora.requests().filter((r) => r.kind === 'start')).toHaveLength(1);
  });

  it('a host stop during a failover ends in stopped, with nothing left running', async () => {
    const { h, sid } = await running();
    h.agora.failover(sid, '2001', 30_000);
    await h.settle();
    await h.supervisor.stop('r1');
    await h.advance(120_000);
    expect(h.agora.live()).toEqual([]);
    expect(h.supervisor.get('r1')).toMatchObject({ state: 'stopped' });
    expect(eventsOf(h.events, 'stopped')).toHaveLength(1);
  });

  it('wrong credentials end in failed with reason configuration, and nothing is started', async () => {
    const h = await supervised();
    harness = h;
    h.agora.setCredentials({ ...h.agora.credentials(), customerSecret: 'another-secret' });
    await h.supervisor.start(r1);
    await h.advance(10_000);
    expect(h.supervisor.get('r1')).toMatchObject({ state: 'failed', quitReason: 'configuration' });
    expect(eventsOf(h.events, 'failed')).toMatchObject([{ reason: 'configuration' }]);
    expect(h.agora.live()).toEqual([]);
  });

  it('a 429 burst slows the whole queue down and changes no lifecycle', async () => {
    const { h } = await running();
    const limited = { status: 429, body: { message: 'API rate limit exceeded' } };
    h.agora.script('query', limited, limited, limited);
    await h.advance(240_000);
    const queries = h.agora.requests().filter((r) => r.kind === 'query');
    const firstLimited = queries.findIndex((r) => r.status === 429);
    expect(firstLimited).toBeGreaterThanOrEqual(0);
    const after = queries[firstLimited + 1];
    expect((after?.at ?? 0) - (queries[firstLimited]?.at ?? 0)).toBeGreaterThanOrEqual(1_000);
    expect(queries.filter((r) => r.status === 429)).toHaveLength(3);
    expect(h.supervisor.get('r1')?.state).toBe('recording');
    expect(eventsOf(h.events, 'quit')).toEqual([]);
    expect(h.lines.some((line) => line.includes('429'))).toBe(true);
  });

  it('holds the QPS budget with 40 recordings started at once', async () => {
    const h = await supervised({ overrides: { qps: 10 } });
    harness = h;
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        h.supervisor.start({
          recording: `r${i}`,
          cname: `room${i}`,
          uid: String(1000 + i),
          mode: 'mix',
        }),
      ),
    );
    await h.advance(200_000);
    const times = h.agora.requests().map((r) => r.at);
    expect(times.length).toBeGreaterThan(120);
    for (const t of times)
      expect(times.filter((u) => u >= t && u < t + 1_000).length).toBeLessThanOrEqual(10);
    expect(h.supervisor.list().every((p) => p.state === 'recording')).toBe(true);
    expect(h.agora.live()).toHaveLength(40);
    expectNoOrphanNorDouble(h);
  });
});

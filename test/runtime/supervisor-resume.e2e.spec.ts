// A host that dies and comes back: a new supervisor on the same SQLite log picks up every
// recording, re-arms the earliest deadline, re-queries what is stale and settles a start whose
// answer never reached the log.
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { eventsOf, type Supervised, supervised } from '../fixtures/supervised.js';
import { tempDir } from '../fixtures/temp-dir.js';

const work = tempDir('recwatch-resume-');
afterAll(() => work.remove());
let harness: Supervised | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});
let files = 0;
const logFile = () => work.file(`resume-${++files}.db`);

/**
 * Waits until Agora has the (held) start and its notifications are out. The start follows
 * appends committed on the SQLite log's writer thread, so the wait is bounded by real time (a
 * generous bound for a busy machine), not by turns of this thread's event loop.
 */
async function startReachedAgora(h: Supervised): Promise<void> {
  await vi.waitFor(
    () => {
      if (h.agora.sessions().length === 0)
        throw new Error('the start never reached the fake Agora');
    },
    { timeout: 60_000, interval: 2 },
  );
  await h.agora.settle();
}

const r1 = {
  recording: 'r1',
  cname: 'room1',
  uid: '1001',
  mode: 'mix',
  backupUid: '1002',
} as const;

describe('resuming on the same log', () => {
  it('rebuilds every recording, re-arms the earliest deadline and re-queries what is stale', async () => {
    const h = await supervised({ log: logFile() });
    harness = h;
    await h.supervisor.start(r1);
    await h.supervisor.start({ ...r1, recording: 'r2', cname: 'room2' });
    await h.advance(10_000);
    const before = h.supervisor.list();
    expect(before.map((p) => p.state)).toEqual(['recording', 'recording']);
    await h.supervisor.close();
    // Down for two poll intervals: both recordings are stale when the host is back.
    h.webhookUp = false;
    await h.advance(120_000);
    const queriesBefore = h.agora.requests().filter((r) => r.kind === 'query').length;
    h.webhookUp = true;
    const supervisor = await h.restart();
    // The same recordings; the resume is an input too (rule 12), so only when they changed moves.
    const unstamped = (list: typeof before) => list.map(({ updatedAt: _, ...rest }) => rest);
    expect(unstamped(supervisor.list())).toEqual(unstamped(before));
    expect(h.clock.nextAt()).toBeDefined();
    await h.settle();
    const queries = h.agora
      .requests()
      .filter((r) => r.kind === 'query')
      .slice(queriesBefore);
    expect(queries.map((q) => q.sid).sort()).toEqual(before.map((p) => p.sid).sort());
    expect(queries.every((q) => q.at === h.clock.now())).toBe(true);
    await h.advance(120_000);
    expect(supervisor.list().map((p) => p.state)).toEqual(['recording', 'recording']);
  });

  it('adopts the sid of a start whose answer was lost when the host died, from its notifications', async () => {
    const h = await supervised({ log: logFile() });
    harness = h;
    const release = h.agora.holdStartAnswers();
    await h.supervisor.start(r1);
    await startReachedAgora(h);
    expect(h.agora.live()).toHaveLength(1);
    await h.supervisor.close(); // The start's answer never reaches the log.
    release();
    const supervisor = await h.restart();
    await h.advance(30_000);
    const [session] = h.agora.live();
    expect(h.agora.live()).toHaveLength(1);
    expect(supervisor.get('r1')).toMatchObject({
      state: 'recording',
      sid: session?.sid,
      uid: '1001',
    });
    expect(h.agora.requests().filter((r) => r.kind === 'start')).toHaveLength(1);
    expect(eventsOf(h.events, 'adopted')).toEqual([
      expect.objectContaining({ recording: 'r1', sid: session?.sid, uid: '1001' }),
    ]);
  });

  it('adopts it from Agora’s resends when the host was down as the notifications came', async () => {
    const file = logFile();
    const h = await supervised({ log: file });
    harness = h;
    h.webhookUp = false;
    const release = h.agora.holdStartAnswers();
    await h.supervisor.start(r1);
    await startReachedAgora(h);
    await h.supervisor.close();
    release();
    h.webhookUp = true;
    const supervisor = await h.restart();
    await h.advance(60_000);
    expect(h.agora.live()).toHaveLength(1);
    expect(supervisor.get('r1')).toMatchObject({ state: 'recording', sid: h.agora.live()[0]?.sid });
    expect(h.agora.requests().filter((r) => r.kind === 'start')).toHaveLength(1);
    await supervisor.close();
    // What decided is in the log (rule 12): the start that was sent, and the resume.
    const { openSqliteLog } = await import('../../src/index.js');
    const log = await openSqliteLog(file);
    const types = (await log.readAll()).map((entry) =>
      entry.item.kind === 'input' ? (entry.item.record as { type: string }).type : 'reject',
    );
    expect(types.filter((type) => type === 'startSent')).toHaveLength(1);
    expect(types.indexOf('resumed')).toBeGreaterThan(types.indexOf('startSent'));
    await log.close();
  });

  it('starts again with the other uid when no sign of the lost start comes within the settle window', async () => {
    const h = await supervised({ log: logFile() });
    harness = h;
    const release = h.agora.holdStartAnswers();
    h.agora.setNotify(false);
    await h.supervisor.start(r1);
    await startReachedAgora(h);
    await h.supervisor.close();
    release();
    // The start never reached Agora in this variant: its session is gone without a word.
    for (const session of h.agora.live()) session.live = false;
    const supervisor = await h.restart();
    await h.advance(19_000);
    expect(h.agora.requests().filter((r) => r.kind === 'start')).toHaveLength(1);
    await h.advance(20_000);
    const starts = h.agora.requests().filter((r) => r.kind === 'start');
    expect(starts).toHaveLength(2);
    expect(supervisor.get('r1')).toMatchObject({ state: 'recording', uid: '1002' });
    expect(eventsOf(h.events, 'started').at(-1)).toMatchObject({ uid: '1002' });
  });
});

// The supervisor against the simulator: each scenario of issue 13 on one virtual clock, and the
// supervisor's pictures compared with the simulator's ground truth.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { allEntries, openSqliteLog } from '../../src/index.js';
import {
  compareWithTruth,
  type SimOptions,
  type SimSupervised,
  simSupervised,
} from '../fixtures/sim-supervised.js';
import { tempDir } from '../fixtures/temp-dir.js';

let harness: SimSupervised | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const MINUTE = 60_000;
const work = tempDir('recwatch-sim-e2e-');
afterAll(() => work.remove());

async function open(options: SimOptions): Promise<SimSupervised> {
  harness = await simSupervised(options);
  return harness;
}
const start = (h: SimSupervised, i: number, extra: { uid?: string; backupUid?: string } = {}) =>
  h.supervisor.start({
    recording: `r${i}`,
    cname: `room${i}`,
    uid: extra.uid ?? String(1000 + i),
    mode: 'mix',
    ...(extra.backupUid === undefined ? {} : { backupUid: extra.backupUid }),
  });

describe('the supervisor against the simulator', () => {
  it('normal life: every recording started once and pictured as Agora has it', async () => {
    const h = await open({ seed: 11 });
    for (let i = 0; i < 3; i += 1) await start(h, i);
    await h.advance(30 * MINUTE);
    expect(compareWithTruth(h)).toEqual([]);
    expect(h.supervisor.list().map((p) => p.state)).toEqual([
      'recording',
      'recording',
      'recording',
    ]);
    expect(h.recordings()).toHaveLength(3);
    for (let i = 0; i < 3; i += 1) await h.supervisor.stop(`r${i}`);
    await h.advance(2 * MINUTE);
    expect(h.live()).toEqual([]);
    expect(h.supervisor.list().map((p) => p.state)).toEqual(['stopped', 'stopped', 'stopped']);
    expect(h.recordings().map((r) => r.quit?.cause)).toEqual(['stopped', 'stopped', 'stopped']);
  });

  it('failovers: 404s, a new uid and bak<n>_ files, counted as Agora counts them', async () => {
    const h = await open({
      seed: 5,
      profile: 'failoverStorm',
      overrides: { life: { processKillPerHour: 4, serverLossPerHour: 0 } },
    });
    for (let i = 0; i < 4; i += 1) await start(h, i);
    await h.advance(40 * MINUTE);
    const failovers = h.recordings().reduce((n, r) => n + r.failovers.length, 0);
    expect(failovers).toBeGreaterThan(0);
    await h.advance(3 * MINUTE);
    expect(compareWithTruth(h)).toEqual([]);
    expect(h.events.filter((e) => e.type === 'failover').length).toBeGreaterThan(0);
  });

  it('a 4th failure ends the session; the supervisor restarts it, and only once', async () => {
    const h = await open({
      seed: 3,
      profile: 'failoverStorm',
      overrides: { life: { processKillPerHour: 40, serverLossPerHour: 0 } },
    });
    await start(h, 0, { backupUid: '2000' });
    await h.advance(20 * MINUTE);
    const exhausted = h.recordings().filter((r) => r.quit?.cause === 'haExhausted');
    expect(exhausted.length).toBeGreaterThan(0);
    await h.advance(2 * MINUTE);
    expect(compareWithTruth(h)).toEqual([]);
    const picture = h.supervisor.get('r0');
    expect(picture?.restarts).toBeGreaterThan(0);
    expect(h.live().length).toBeLessThanOrEqual(1);
  });

  it('quit then restart: the old sid’s late, redundant quits change nothing', async () => {
    const h = await open({
      seed: 8,
      profile: 'redundantReordered',
      overrides: { life: { abnormalExitPerHour: 3 }, delivery: { lateOldSidQuits: 1 } },
    });
    for (let i = 0; i < 3; i += 1) await start(h, i);
    await h.advance(60 * MINUTE);
    const quits = h.recordings().filter((r) => r.quit?.cause === 'abnormalExit');
    expect(quits.length).toBeGreaterThan(0);
    await h.advance(2 * MINUTE);
    expect(compareWithTruth(h)).toEqual([]);
    for (const picture of h.supervisor.list()) {
      const sessions = h
        .recordings()
        .filter((r) => r.cname === `room${picture.recording.slice(1)}`);
      // One restart per true quit: the redundant old-sid quits never caused another one.
      expect(picture.restarts).toBe(sessions.length - 1);
    }
  });

  it('an idle exit is reported and not restarted', async () => {
    const h = await open({
      seed: 2,
      hosts: { room0: [{ uid: 77, fromMs: 0, toMs: 2 * MINUTE }] },
    });
    await start(h, 0);
    await h.advance(10 * MINUTE);
    expect(h.recordings().map((r) => r.quit?.cause)).toEqual(['idle']);
    expect(h.supervisor.get('r0')).toMatchObject({ quitReason: 'idle', restarts: 0 });
    expect(h.recordings()).toHaveLength(1);
  });

  it('a host stop during a failover ends in stopped, with nothing left running', async () => {
    const h = await open({
      seed: 4,
      profile: 'failoverStorm',
      overrides: { life: { processKillPerHour: 30, serverLossPerHour: 0 } },
    });
    await start(h, 0);
    for (let waited = 0; h.supervisor.get('r0')?.state !== 'failoverPending'; waited += 1) {
      if (waited > 600) throw new Error('no failover came');
      await h.advance(1_000);
    }
    await h.supervisor.stop('r0');
    await h.advance(5 * MINUTE);
    expect(h.live()).toEqual([]);
    expect(h.supervisor.get('r0')?.state).toBe('stopped');
    expect(h.recordings().at(-1)?.quit?.cause).toBe('stopped');
  });

  it('wrong credentials: failed with reason configuration, nothing started', async () => {
    const h = await open({ wrongSecret: true });
    await start(h, 0);
    await h.advance(MINUTE);
    expect(h.supervisor.get('r0')).toMatchObject({ state: 'failed', quitReason: 'configuration' });
    expect(h.recordings()).toEqual([]);
    expect(h.sim.requests().every((r) => r.httpStatus === 401)).toBe(true);
  });

  it('429 bursts slow the queue and change no lifecycle', async () => {
    const h = await open({
      seed: 9,
      profile: 'flakyApi',
      overrides: {
        api: {
          startServerError: 0,
          startNotCompleted: 0,
          queryServerError: 0,
          queryNotCompleted: 0,
          rateLimitBurst: 0.2,
        },
      },
    });
    for (let i = 0; i < 5; i += 1) await start(h, i);
    await h.advance(20 * MINUTE);
    expect(h.sim.requests().some((r) => r.httpStatus === 429)).toBe(true);
    expect(compareWithTruth(h)).toEqual([]);
    expect(h.events.filter((e) => e.type === 'quit' || e.type === 'failed')).toEqual([]);
  });

  it('hundreds of recordings on a 10 QPS app id: zero 429s', async () => {
    const h = await open({ seed: 12, concurrencyLimit: 1_000 });
    await Promise.all(Array.from({ length: 200 }, (_, i) => start(h, i)));
    await h.advance(5 * MINUTE);
    const requests = h.sim.requests();
    expect(requests.length).toBeGreaterThan(600);
    expect(requests.filter((r) => r.httpStatus === 429)).toEqual([]);
    expect(h.supervisor.list().filter((p) => p.state === 'recording')).toHaveLength(200);
    expect(compareWithTruth(h)).toEqual([]);
  }, 120_000);

  it('webhooks lost entirely: query alone finds the truth', async () => {
    const h = await open({
      seed: 6,
      profile: 'lossy',
      overrides: {
        delivery: { lost: 1, delayed: 0, duplicated: 0 },
        life: { processKillPerHour: 2, abnormalExitPerHour: 2 },
      },
    });
    for (let i = 0; i < 4; i += 1) await start(h, i);
    await h.advance(60 * MINUTE);
    expect(h.sim.deliveries().every((d) => d.fault === 'lost')).toBe(true);
    // A quit found by queries alone takes a poll (60 s) and rule 3's probing (95 s) to conclude.
    await h.advance(5 * MINUTE);
    // Lifecycle, sids and failover counts (from bak<n>_ file names) from query alone; a query
    // does not name the recorder's uid, so the new uid needs a notification.
    expect(compareWithTruth(h, { recorderUid: false })).toEqual([]);
  });

  it('the host dies and comes back mid-run: nothing acknowledged is lost, nothing left unsupervised', async () => {
    const h = await open({ seed: 10, profile: 'chaos', log: work.file('dies.db') });
    for (let i = 0; i < 4; i += 1) await start(h, i);
    await h.advance(15 * MINUTE);
    await h.supervisor.close();
    h.webhookUp = false;
    await h.advance(2 * MINUTE);
    h.webhookUp = true;
    await h.restart();
    await h.advance(15 * MINUTE);
    expect(compareWithTruth(h)).toEqual([]);
    await h.supervisor.close();
    const acknowledged = h.sim
      .deliveries()
      .filter((d) => d.outcome?.kind === 'answered' && d.outcome.httpStatus === 200);
    expect(acknowledged.length).toBeGreaterThan(20);
    const log = await openSqliteLog(work.file('dies.db'));
    const logged = new Set<string>();
    for await (const entry of allEntries(log)) {
      if (entry.item.kind === 'input' && entry.item.record.type === 'notification')
        logged.add((entry.item.record.body as { noticeId: string }).noticeId);
    }
    await log.close();
    // A resend or a copy is stored once (same notice): every acknowledged notice is in the log.
    for (const delivery of acknowledged) expect(logged).toContain(delivery.noticeId);
  });
});

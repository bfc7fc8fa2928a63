import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/index.js';
import { classifyQuery, parseNotification } from '../../src/signals/index.js';
import { startSimulator, type TrueRecording } from '../../src/sim/index.js';
import { client, startReceiver } from './helpers.js';

const T0 = Date.UTC(2026, 0, 1);
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

// A recording in a channel that always has a host, killed about once a minute.
async function stormy(kind: 'processKillPerHour' | 'serverLossPerHour') {
  const receiver = await startReceiver();
  const clock = new VirtualClock(T0);
  const sim = await startSimulator({
    seed: 11,
    clock,
    webhookUrl: receiver.url,
    secret: 's',
    overrides: { life: { [kind]: 60 } },
    hosts: { room: [{ uid: 4411, fromMs: 0 }] },
  });
  cleanups.push(() => sim.close(), receiver.close);
  const api = client(sim);
  const ids = await api.record('room', 'individual');
  const recording = () => sim.truth()[0] as TrueRecording;
  return { receiver, clock, sim, api, ids, recording };
}

describe('failover, as the domain doc describes it', () => {
  it('answers 404 "failed to find worker" while moving, then comes back with a new uid and bak<n>_ files', async () => {
    const { receiver, clock, sim, api, ids, recording } = await stormy('processKillPerHour');
    const down: number[] = [];
    const up: number[] = [];
    while (recording().failovers.length < 2 && clock.now() < T0 + 3_600_000) {
      clock.advanceBy(2_000);
      await sim.settle();
      const state = recording().states.at(-1)!.state;
      if (state !== 'failoverPending' && state !== 'recording') continue;
      const query = await api.query(ids.resourceId, ids.sid, 'individual');
      const outcome = classifyQuery(query.status, query.body);
      if (state === 'failoverPending') {
        expect(query).toEqual({
          status: 404,
          body: { code: 404, reason: 'failed to find worker' },
        });
        expect(outcome.kind).toBe('notFound');
        down.push(clock.now());
      } else {
        expect(outcome.kind).toBe('alive');
        up.push(clock.now());
      }
    }
    expect(down.length).toBeGreaterThan(0);
    expect(up.length).toBeGreaterThan(0);
    clock.advanceBy(10_000);
    await sim.settle();
    const [first, second] = recording().failovers;
    expect(first).toMatchObject({ n: 0, kind: 'processKill' });
    expect(first!.resumedAt - first!.at).toBeGreaterThanOrEqual(5_000);
    expect(first!.resumedAt - first!.at).toBeLessThanOrEqual(30_000);
    expect(recording().uids).toEqual(['527841', first!.newUid, second!.newUid]);
    const notifications = receiver.received.map((r) => {
      const parsed = parseNotification(r.raw);
      if (!parsed.ok) throw new Error('unparsable');
      return parsed.value;
    });
    const failovers = receiver.received.filter((r) => r.body.eventType === 12);
    expect(failovers.map((r) => (r.body.payload as { details: unknown }).details)).toEqual([
      { msgName: 'session_failover', newUid: Number(first!.newUid) },
      { msgName: 'session_failover', newUid: Number(second!.newUid) },
    ]);
    expect(failovers.map((r) => (r.body.payload as { uid: unknown }).uid)).toEqual([
      first!.newUid,
      second!.newUid,
    ]);
    // Everything sent after the first 12 and before the second carries the first new uid.
    const between = notifications.filter(
      (n) => n.sendts >= first!.resumedAt && n.sendts < second!.at,
    );
    expect(between.length).toBeGreaterThan(2);
    expect(new Set(between.map((n) => n.uid))).toEqual(new Set([first!.newUid]));
    const files = recording().files.map((f) => f.fileName);
    expect(files.some((f) => f.startsWith(`bak0_${ids.sid}_room`))).toBe(true);
    expect(files.some((f) => f.startsWith(`bak1_${ids.sid}_room`))).toBe(true);
    expect(notifications.filter((n) => n.sid !== ids.sid)).toEqual([]);
  });

  it('moves a lost server within 60–90 s', async () => {
    const { clock, sim, recording } = await stormy('serverLossPerHour');
    while (recording().failovers.length < 1) {
      clock.advanceBy(5_000);
      await sim.settle();
    }
    const [failover] = recording().failovers;
    expect(failover!.kind).toBe('serverLoss');
    expect(failover!.resumedAt - failover!.at).toBeGreaterThanOrEqual(60_000);
    expect(failover!.resumedAt - failover!.at).toBeLessThanOrEqual(90_000);
  });

  it('ends the recording at the 4th failure: no 4th 12, a fatal error and exitStatus 1, then 404', async () => {
    const { receiver, clock, sim, api, ids, recording } = await stormy('processKillPerHour');
    while (recording().quit === null) {
      clock.advanceBy(10_000);
      await sim.settle();
    }
    expect(recording().quit!.cause).toBe('haExhausted');
    expect(recording().failovers).toHaveLength(3);
    clock.advanceBy(60_000);
    await sim.settle();
    const events = receiver.received.map((r) => r.body.eventType);
    expect(events.filter((e) => e === 12)).toHaveLength(3);
    const tail = receiver.received
      .slice(-2)
      .map((r) => r.body as { eventType: number; payload: { details: Record<string, unknown> } });
    expect(tail.map((b) => b.eventType)).toEqual([1, 11]);
    expect(tail[0]!.payload.details).toMatchObject({ errorLevel: 5 });
    expect(tail[1]!.payload.details).toEqual({ msgName: 'session_exit', exitStatus: 1 });
    const query = await api.query(ids.resourceId, ids.sid, 'individual');
    expect(query.status).toBe(404);
    expect(recording().states.at(-1)).toEqual({ at: recording().quit!.at, state: 'quit' });
  });

  it('restarts sequence from 0 after a failover when told to read it that way', async () => {
    const receiver = await startReceiver();
    const clock = new VirtualClock(T0);
    const sim = await startSimulator({
      seed: 11,
      clock,
      webhookUrl: receiver.url,
      secret: 's',
      overrides: { life: { processKillPerHour: 60 } },
      hosts: { room: [{ uid: 4411, fromMs: 0 }] },
      sequenceAfterFailover: 'restart',
    });
    cleanups.push(() => sim.close(), receiver.close);
    await client(sim).record('room', 'mix');
    while ((sim.truth()[0] as TrueRecording).failovers.length < 1) {
      clock.advanceBy(5_000);
      await sim.settle();
    }
    const twelve = receiver.received.find((r) => r.body.eventType === 12)!;
    expect((twelve.body.payload as { sequence: number }).sequence).toBe(0);
  });
});

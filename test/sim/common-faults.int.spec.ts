// Common random numbers: one seed gives every channel one fault schedule, whatever a client
// calls, so two observers of one seed face the same recording faults at the same moments.
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/index.js';
import { type Simulator, startSimulator } from '../../src/sim/index.js';
import { client, runFor } from './helpers.js';

const T0 = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function simulator(seed: number) {
  const clock = new VirtualClock(T0);
  const sim = await startSimulator({ seed, profile: 'failoverStorm', clock });
  cleanups.push(() => sim.close());
  return { clock, sim, api: client(sim) };
}

// Every life fault that struck a session of `cname`, by the schedule's id, with its time.
function struck(sim: Simulator, cname: string): { id: string | undefined; at: number }[] {
  return sim
    .recordings()
    .filter((r) => r.cname === cname)
    .flatMap((r) => r.faults.filter((f) => f.id !== undefined).map(({ id, at }) => ({ id, at })));
}

describe('one fault schedule per channel, whatever the client does', () => {
  it('gives a channel the same faults at the same moments for two clients that call differently', async () => {
    // Client A records `room` from the start and only watches it.
    const a = await simulator(9);
    await a.api.record('room', 'mix');
    await runFor(a.clock, a.sim, HOUR, 60_000);
    // Client B records two other channels first, queries a lot, starts `room` late, stops it
    // and starts it again.
    const b = await simulator(9);
    const x = await b.api.record('x', 'web');
    await b.api.record('y', 'individual');
    for (let i = 0; i < 5; i++) {
      await runFor(b.clock, b.sim, 2_000);
      await b.api.query(x.resourceId, x.sid, 'web');
    }
    await runFor(b.clock, b.sim, 10 * 60_000, 60_000);
    const first = await b.api.record('room', 'mix');
    await runFor(b.clock, b.sim, 15 * 60_000, 60_000);
    await b.api.stop(first.resourceId, first.sid, 'mix', 'room');
    await runFor(b.clock, b.sim, 60_000);
    await b.api.record('room', 'mix');
    await runFor(b.clock, b.sim, HOUR - b.clock.now() + T0, 60_000);

    const schedule = a.sim.scheduledFaults('room', T0 + HOUR);
    expect(schedule.length).toBeGreaterThan(0);
    expect(b.sim.scheduledFaults('room', T0 + HOUR)).toEqual(schedule);
    // What struck each client's sessions is taken from that one schedule, at its times.
    const byId = new Map(schedule.map((fault) => [fault.id, fault.at]));
    for (const sim of [a.sim, b.sim]) {
      expect(struck(sim, 'room').length).toBeGreaterThan(0);
      for (const fault of struck(sim, 'room')) expect(fault.at).toBe(byId.get(fault.id!));
    }
    // Another channel has its own schedule; another seed another one.
    expect(a.sim.scheduledFaults('x', T0 + HOUR)).not.toEqual(schedule);
    const c = await simulator(10);
    expect(c.sim.scheduledFaults('room', T0 + HOUR)).not.toEqual(schedule);
  });
});

describe('ids never repeat across runs of one seed', () => {
  async function sids(ids?: 'unique' | 'seeded') {
    const clock = new VirtualClock(T0);
    const sim = await startSimulator({ seed: 3, clock, ...(ids && { ids }) });
    const api = client(sim);
    const started = [await api.record('a'), await api.record('b')];
    await runFor(clock, sim, 5_000);
    const truth = sim.recordings();
    await sim.close();
    return { started, truth };
  }

  it('hands out new sids and resource ids when the same seed runs again; the rest is the same', async () => {
    const first = await sids();
    const second = await sids();
    for (const [i, one] of first.started.entries()) {
      const two = second.started[i]!;
      expect(one.sid).toMatch(/^[0-9a-f]{32}$/);
      expect(one.resourceId).toMatch(/^[A-Za-z0-9_-]{112}$/);
      expect(two.sid).not.toBe(one.sid);
      expect(two.resourceId).not.toBe(one.resourceId);
    }
    // Apart from the ids, the truth is the same.
    const strip = (truth: typeof first.truth) =>
      JSON.stringify(truth)
        .replaceAll(/[0-9a-f]{32}/g, 'SID')
        .replaceAll(/"[A-Za-z0-9_-]{112}"/g, '"RID"');
    expect(strip(second.truth)).toBe(strip(first.truth));
  });

  it("ids: 'seeded' gives the same ids again, for byte-for-byte runs", async () => {
    const first = await sids('seeded');
    const second = await sids('seeded');
    expect(second.started.map((s) => s.sid)).toEqual(first.started.map((s) => s.sid));
  });
});

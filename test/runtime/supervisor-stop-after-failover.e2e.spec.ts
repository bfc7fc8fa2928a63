// A host stop after a failover: the recorder rejoined with event 12's newUid, but Agora names the
// session by the uid it was acquired with, so stop must send that one (the simulator answers 432
// "parameters do not match the acquire request" otherwise, as Agora does).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhookHandler } from '../../src/agora/index.js';
import { VirtualClock } from '../../src/clock/index.js';
import { createSupervisor, type Supervisor } from '../../src/runtime/index.js';
import { type Simulator, startSimulator, type TrueRecording } from '../../src/sim/index.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function setUp(): Promise<{ clock: VirtualClock; sim: Simulator; supervisor: Supervisor }> {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  let handler: ReturnType<typeof createWebhookHandler> | undefined;
  const server = createServer((request, response) => handler?.node(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const sim = await startSimulator({
    seed: 4,
    profile: 'failoverStorm',
    overrides: { life: { processKillPerHour: 12, serverLossPerHour: 0 } },
    clock,
    webhookUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/agora`,
  });
  closers.push(() => sim.close());
  const { appId, customerId, customerSecret, secret } = sim.credentials;
  const supervisor = await createSupervisor({
    agora: { appId, customerId, customerSecret, baseUrl: sim.baseUrl },
    clientRequest: () => ({ recordingConfig: { maxIdleTime: 30 } }),
    log: 'memory',
    clock,
  });
  closers.push(() => supervisor.close());
  handler = createWebhookHandler(supervisor, { secret });
  return { clock, sim, supervisor };
}

// Moves the clock timer by timer, letting the simulator and the supervisor answer in between.
async function advance(
  h: { clock: VirtualClock; sim: Simulator; supervisor: Supervisor },
  ms: number,
) {
  await h.clock.advanceSettling(ms, async () => {
    for (let round = 0; round < 2; round += 1) {
      await h.sim.settle();
      await h.supervisor.settle();
    }
  });
}

const sessions = (sim: Simulator) =>
  sim.truth().filter((r): r is TrueRecording => r.type === 'recording');

describe('a host stop after a failover', () => {
  it('names the session by its acquire uid: Agora stops it, the picture says stopped', async () => {
    const h = await setUp();
    await h.supervisor.start({ recording: 'r1', cname: 'room1', uid: '1001', mode: 'mix' });
    // Until the recorder has failed over once and is recording again under its new uid.
    for (let minute = 0; minute < 60; minute += 1) {
      await advance(h, 60_000);
      const [session] = sessions(h.sim);
      if (
        session !== undefined &&
        session.failovers.length > 0 &&
        h.supervisor.get('r1')?.state === 'recording'
      )
        break;
    }
    const [session] = sessions(h.sim);
    expect(session?.failovers.length).toBeGreaterThan(0);
    expect(h.supervisor.get('r1')?.uid).not.toBe('1001');
    await h.supervisor.stop('r1');
    await advance(h, 60_000);
    const stops = h.sim.requests().filter((r) => r.path.endsWith('/stop'));
    expect(stops.map((r) => r.httpStatus)).toEqual([200]);
    expect(JSON.parse(stops[0]!.body)).toMatchObject({ uid: '1001', cname: 'room1' });
    expect(sessions(h.sim)[0]?.quit?.cause).toBe('stopped');
    expect(h.supervisor.get('r1')?.state).toBe('stopped');
  }, 120_000);
});

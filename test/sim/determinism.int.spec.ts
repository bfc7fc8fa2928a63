import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/index.js';
import { startSimulator } from '../../src/sim/index.js';
import { client, startReceiver } from './helpers.js';

// One scripted client against a chaos run: three recordings, a query every 30 s, stops at the end.
async function run(seed: number) {
  const receiver = await startReceiver((n) => (n % 7 === 3 ? 500 : 200));
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const sim = await startSimulator({
    seed,
    profile: 'chaos',
    clock,
    webhookUrl: receiver.url,
    secret: 's',
    ids: 'seeded',
  });
  const api = client(sim);
  const sessions = [];
  for (const [cname, mode] of [
    ['a', 'individual'],
    ['b', 'mix'],
    ['c', 'web'],
  ] as const) {
    sessions.push({ cname, mode, ...(await api.record(cname, mode)) });
  }
  for (let step = 1; step <= 60; step++) {
    clock.advanceBy(10_000);
    await sim.settle();
    if (step % 3 !== 0) continue;
    for (const session of sessions) {
      if (session.sid !== undefined) await api.query(session.resourceId, session.sid, session.mode);
    }
  }
  for (const session of sessions) {
    if (session.sid !== undefined)
      await api.stop(session.resourceId, session.sid, session.mode, session.cname);
  }
  clock.advanceBy(60_000);
  await sim.settle();
  const result = {
    requests: JSON.stringify(sim.requests()),
    deliveries: JSON.stringify(sim.deliveries()),
    truth: sim.truthJsonl(),
    received: receiver.received.map((r) => r.raw).join('\n'),
  };
  await sim.close();
  await receiver.close();
  return result;
}

describe('a seed replays the same run', () => {
  it('gives identical requests, deliveries, truth and received bytes for the same seed; different ones for another', async () => {
    const first = await run(7);
    const second = await run(7);
    expect(second.requests).toBe(first.requests);
    expect(second.deliveries).toBe(first.deliveries);
    expect(second.truth).toBe(first.truth);
    expect(second.received).toBe(first.received);
    expect(first.deliveries.length).toBeGreaterThan(200);
    const other = await run(8);
    expect(other.truth).not.toBe(first.truth);
    expect(other.deliveries).not.toBe(first.deliveries);
  });
});

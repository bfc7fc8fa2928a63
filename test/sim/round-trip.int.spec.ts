import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/index.js';
import {
  classifyQuery,
  parseNotification,
  parseStartResponse,
  parseStopResponse,
  verifySignature,
} from '../../src/signals/index.js';
import { type Simulator, startSimulator } from '../../src/sim/index.js';
import { client, runFor, startReceiver } from './helpers.js';

const T0 = Date.UTC(2026, 0, 1);
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function setup(answer?: (n: number) => number) {
  const receiver = await startReceiver(answer);
  const clock = new VirtualClock(T0);
  const sim: Simulator = await startSimulator({
    seed: 3,
    clock,
    webhookUrl: receiver.url,
    secret: 's3cret',
  });
  cleanups.push(() => sim.close(), receiver.close);
  return { receiver, clock, sim, api: client(sim) };
}

describe('a recording over real loopback HTTP', () => {
  it('acquires, starts, queries and stops, with signed notifications along the way', async () => {
    const { receiver, clock, sim, api } = await setup();
    const { resourceId, sid, started } = await api.record('room1', 'mix');
    expect(started.status).toBe(200);
    expect(parseStartResponse(started.body)).toMatchObject({
      ok: true,
      value: { sid, resourceId },
    });
    await runFor(clock, sim, 10_000);
    const query = await api.query(resourceId, sid, 'mix');
    expect(classifyQuery(query.status, query.body)).toMatchObject({ kind: 'alive', status: 5 });
    const stop = await api.stop(resourceId, sid, 'mix', 'room1');
    expect(stop.status).toBe(200);
    expect(parseStopResponse(stop.body)).toMatchObject({
      ok: true,
      value: { uploadingStatus: 'uploaded' },
    });
    await runFor(clock, sim, 5_000);
    const events = receiver.received.map((r) => r.body.eventType);
    expect(events).toEqual(expect.arrayContaining([13, 40, 30, 42, 4, 41, 11, 31]));
    for (const received of receiver.received) {
      expect(verifySignature(received.raw, received.headers, 's3cret')).toEqual({
        ok: true,
        matched: ['Agora-Signature-V2', 'Agora-Signature'],
      });
      expect(parseNotification(received.raw).ok).toBe(true);
    }
    const truth = sim.truth();
    expect(truth).toHaveLength(1);
    expect(truth[0]).toMatchObject({ sid, quit: { cause: 'stopped' } });
  });

  it('retries a notification the webhook answers 500, with a fresh notifyMs and the same noticeId', async () => {
    const { receiver, clock, sim, api } = await setup((n) => (n === 0 ? 500 : 200));
    await api.record('room2', 'individual');
    await runFor(clock, sim, 5_000);
    const first = receiver.received[0]!.body;
    const again = receiver.received.filter((r) => r.body.noticeId === first.noticeId);
    expect(again).toHaveLength(2);
    expect(again[1]!.body.notifyMs).toBeGreaterThan(first.notifyMs as number);
    const attempts = sim.deliveries().filter((d) => d.noticeId === first.noticeId);
    expect(attempts.map((d) => [d.attempt, d.outcome])).toEqual([
      [1, { kind: 'answered', httpStatus: 500 }],
      [2, { kind: 'answered', httpStatus: 200 }],
    ]);
    expect(attempts[1]!.at - attempts[0]!.at).toBe(3_000);
  });

  it('counts a webhook that does not answer within 10 s as failed, and retries', async () => {
    const { receiver, clock, sim, api } = await setup((n) => (n === 0 ? 0 : 200));
    await api.record('room3', 'mix');
    clock.advanceBy(1_000);
    await receiver.until(() => receiver.received.length === 1);
    clock.advanceBy(10_000);
    await sim.settle();
    await runFor(clock, sim, 5_000);
    const first = sim.deliveries()[0]!;
    expect(first.outcome).toEqual({ kind: 'timeout' });
    const retry = sim.deliveries().find((d) => d.noticeId === first.noticeId && d.attempt === 2);
    expect(retry?.outcome).toEqual({ kind: 'answered', httpStatus: 200 });
    expect(retry!.at - first.at).toBe(10_000 + 3_000);
  });

  it('keeps request bodies for inspection, without the token or storage keys', async () => {
    const { sim, api } = await setup();
    await api.record('room4', 'mix', {
      token: 'rtc-token-value',
      storageConfig: {
        vendor: 1,
        region: 0,
        bucket: 'b',
        accessKey: 'ak-value',
        secretKey: 'sk-value',
      },
    });
    const start = sim.requests().find((r) => r.path.endsWith('/start'))!;
    expect(start.body).not.toMatch(/rtc-token-value|ak-value|sk-value/);
    expect(JSON.parse(start.body).clientRequest.storageConfig).toEqual({
      vendor: 1,
      region: 0,
      bucket: 'b',
      accessKey: '[redacted]',
      secretKey: '[redacted]',
    });
  });
});

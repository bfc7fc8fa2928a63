// `supervisor.settle()` resolves once nothing is being appended, sent or answered: a call that
// waits on the clock before a retry (after no response) is not in progress, so a test that drives
// a virtual clock can settle, then move the clock on to send the retry. Before, settle() waited
// for the whole call, retry included, and a virtual clock that only moves once everything has
// settled never moved: settle() never resolved.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, expect, it } from 'vitest';
import { type Clock, createSupervisor, VirtualClock } from '../../src/index.js';

const RETRY_MS = 2_500;

/** Agora on loopback: acquire and start answered; the first query's connection is cut. */
function agoraCuttingTheFirstQuery(clock: VirtualClock) {
  const queries: number[] = [];
  const server = createServer((request, answer) => {
    request.resume();
    request.on('end', () => {
      const path = request.url ?? '';
      const json = (body: object) =>
        answer.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (path.endsWith('/acquire')) json({ resourceId: 'R1' });
      else if (path.endsWith('/start')) json({ resourceId: 'R1', sid: 'S1' });
      else if (path.endsWith('/query')) {
        queries.push(clock.now());
        if (queries.length === 1) answer.socket?.destroy();
        else json({ resourceId: 'R1', sid: 'S1', serverResponse: { status: 5 } });
      } else answer.writeHead(404).end();
    });
  });
  return { server, queries };
}

const servers: { close(done: () => void): void }[] = [];
afterAll(() => Promise.all(servers.map((s) => new Promise<void>((done) => s.close(done)))));

/** Resolves after `turns` turns of the event loop: a bound in turns, not in time. */
async function turns(count: number): Promise<'turns'> {
  for (let turn = 0; turn < count; turn += 1) await new Promise((done) => setImmediate(done));
  return 'turns';
}

it('settle() resolves while a call waits on the clock to retry, and the retry goes out once the clock moves', async () => {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const { server, queries } = agoraCuttingTheFirstQuery(clock);
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The supervisor's clock tells the test when the wait before the retry is armed (its delay is
  // the only one of that length): from then on nothing is in flight.
  let armed: () => void = () => {};
  const retryWaits = new Promise<'armed'>((resolve) => {
    armed = () => resolve('armed');
  });
  const watched: Clock = {
    now: () => clock.now(),
    setTimeout(fire, delayMs) {
      if (delayMs === RETRY_MS) armed();
      return clock.setTimeout(fire, delayMs);
    },
    clearTimeout: (timer) => clock.clearTimeout(timer),
  };
  const supervisor = await createSupervisor({
    agora: { appId: 'a', customerId: 'c', customerSecret: 's', baseUrl, retryDelaysMs: [RETRY_MS] },
    clientRequest: () => ({}),
    log: 'memory',
    clock: watched,
    jitterMs: 0,
  });
  try {
    await supervisor.start({ recording: 'r1', cname: 'room1', uid: '1001', mode: 'mix' });
    // Moves the clock a second at a time until the first query's connection is cut and the call
    // waits to retry (the old settle() never resolved from then on: the race ends the steps).
    const settled = () => Promise.race([supervisor.settle(), retryWaits.then(() => {})]);
    for (let step = 0; queries.length === 0; step += 1) {
      expect(step).toBeLessThan(300);
      await clock.advanceSettling(1_000, settled);
    }
    await retryWaits;
    // Nothing is in flight now; settle() needs a few turns, not the retry.
    expect(
      await Promise.race([supervisor.settle().then(() => 'settled' as const), turns(10_000)]),
    ).toBe('settled');
    expect(queries).toHaveLength(1);
    await clock.advanceSettling(RETRY_MS, () => supervisor.settle());
    expect(queries).toHaveLength(2);
    expect(queries[1]! - queries[0]!).toBeGreaterThanOrEqual(RETRY_MS);
  } finally {
    await supervisor.close();
  }
});

it('settle() resolves after other work ends while a call still waits on the clock to retry', async () => {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const { server, queries } = agoraCuttingTheFirstQuery(clock);
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let armed: () => void = () => {};
  const retryWaits = new Promise<'armed'>((resolve) => {
    armed = () => resolve('armed');
  });
  const watched: Clock = {
    now: () => clock.now(),
    setTimeout(fire, delayMs) {
      if (delayMs === RETRY_MS) armed();
      return clock.setTimeout(fire, delayMs);
    },
    clearTimeout: (timer) => clock.clearTimeout(timer),
  };
  const supervisor = await createSupervisor({
    agora: { appId: 'a', customerId: 'c', customerSecret: 's', baseUrl, retryDelaysMs: [RETRY_MS] },
    clientRequest: () => ({}),
    log: 'memory',
    clock: watched,
    jitterMs: 0,
  });
  try {
    await supervisor.start({ recording: 'r1', cname: 'room1', uid: '1001', mode: 'mix' });
    const settled = () => Promise.race([supervisor.settle(), retryWaits.then(() => {})]);
    for (let step = 0; queries.length === 0; step += 1) {
      expect(step).toBeLessThan(300);
      await clock.advanceSettling(1_000, settled);
    }
    await retryWaits;
    // The query waits on the clock to retry; a notification of a session nobody owns arrives
    // (an append, no call), and settle() is asked while it is being appended (the webhook
    // handler's own door into the supervisor).
    const body = JSON.stringify({
      noticeId: 'n-other',
      productId: 3,
      eventType: 40,
      notifyMs: clock.now(),
      payload: {
        cname: 'room9',
        uid: '9009',
        sid: 'S9',
        sequence: 0,
        sendts: clock.now(),
        serviceType: 0,
        details: { msgName: 'recorder_started', status: 0 },
      },
    });
    const posted = supervisor.receiveWebhook(JSON.parse(body));
    const settling = supervisor.settle().then(() => 'settled' as const);
    expect(await posted).toBe('accepted');
    // The append is done and nothing else is in flight: settle() needs a few turns, not the retry.
    expect(await Promise.race([settling, turns(10_000)])).toBe('settled');
    expect(queries).toHaveLength(1);
    await clock.advanceSettling(RETRY_MS, () => supervisor.settle());
    expect(queries).toHaveLength(2);
  } finally {
    await supervisor.close();
  }
});

// `supervisor.settle()` resolves once nothing is being appended, sent or answered: a call that
// waits on the clock before a retry (after no response) is not in progress, so a test that drives
// a virtual clock can settle, then move the clock on to send the retry. Before, settle() waited
// for the whole call, retry included, and a virtual clock that only moves once everything has
// settled never moved: settle() never resolved.
import { afterEach, expect, it } from 'vitest';
import { createSupervisor, VirtualClock } from '../../src/index.js';
import { agoraCuttingTheFirstQuery, watchingRetryWait } from '../fixtures/cut-first-query.js';

const RETRY_MS = 2_500;

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** Resolves after `turns` turns of the event loop: a bound in turns, not in time. */
async function turns(count: number): Promise<'turns'> {
  for (let turn = 0; turn < count; turn += 1) await new Promise((done) => setImmediate(done));
  return 'turns';
}

/**
 * A supervisor on a virtual clock whose recording's first query got no response: the clock is
 * moved a second at a time until that query is out and the call waits RETRY_MS to retry (the
 * old settle() never resolved from then on: the race with the armed wait ends the steps).
 */
async function supervisorWaitingToRetry() {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const agora = await agoraCuttingTheFirstQuery(clock);
  closers.push(agora.close);
  const retry = watchingRetryWait(clock, RETRY_MS);
  const supervisor = await createSupervisor({
    agora: {
      appId: 'a',
      customerId: 'c',
      customerSecret: 's',
      baseUrl: agora.baseUrl,
      retryDelaysMs: [RETRY_MS],
    },
    clientRequest: () => ({}),
    log: 'memory',
    clock: retry.clock,
    jitterMs: 0,
  });
  closers.push(() => supervisor.close());
  await supervisor.start({ recording: 'r1', cname: 'room1', uid: '1001', mode: 'mix' });
  const settled = () => Promise.race([supervisor.settle(), retry.armed]);
  for (let step = 0; agora.queries.length === 0; step += 1) {
    expect(step).toBeLessThan(300);
    await clock.advanceSettling(1_000, settled);
  }
  await retry.armed;
  return { clock, supervisor, queries: agora.queries };
}

it('settle() resolves while a call waits on the clock to retry, and the retry goes out once the clock moves', async () => {
  const { clock, supervisor, queries } = await supervisorWaitingToRetry();
  // Nothing is in flight now; settle() needs a few turns, not the retry.
  expect(
    await Promise.race([supervisor.settle().then(() => 'settled' as const), turns(10_000)]),
  ).toBe('settled');
  expect(queries).toHaveLength(1);
  await clock.advanceSettling(RETRY_MS, () => supervisor.settle());
  expect(queries).toHaveLength(2);
  expect(queries[1]! - queries[0]!).toBeGreaterThanOrEqual(RETRY_MS);
});

it('settle() resolves after other work ends while a call still waits on the clock to retry', async () => {
  const { clock, supervisor, queries } = await supervisorWaitingToRetry();
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
});

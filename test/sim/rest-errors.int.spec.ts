import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/index.js';
import { classifyCall, classifyQuery, parseErrorBody } from '../../src/signals/index.js';
import { type SimulatorOptions, startSimulator } from '../../src/sim/index.js';
import { client } from './helpers.js';

const T0 = Date.UTC(2026, 0, 1);
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function setup(options: SimulatorOptions = {}) {
  const clock = new VirtualClock(T0);
  const sim = await startSimulator({ seed: 5, clock, ...options });
  cleanups.push(() => sim.close());
  return { clock, sim, api: client(sim) };
}

describe('REST errors, in the bodies of the domain doc', () => {
  it('refuses wrong credentials with 401 {message}, before anything else', async () => {
    const { api } = await setup();
    const reply = await api.call(
      'POST',
      'acquire',
      { cname: 'r', uid: '1' },
      'Basic d3Jvbmc6d3Jvbmc=',
    );
    expect(reply.status).toBe(401);
    expect(Object.keys(reply.body)).toEqual(['message']);
    expect(classifyCall(reply.status, reply.body)).toMatchObject({
      kind: 'clientError',
      httpStatus: 401,
    });
  });

  it('answers an unknown path or method with 404 "no Route matched" and no code', async () => {
    const { api, sim } = await setup();
    for (const [method, path] of [
      ['POST', 'acquired'],
      ['GET', 'acquire'],
      ['POST', 'resourceid/R/sid/S/mode/mix/query'],
      ['POST', 'resourceid/R/mode/audio/start'],
    ] as const) {
      const reply = await api.call(method, path, method === 'GET' ? undefined : {});
      expect(reply).toEqual({
        status: 404,
        body: { message: 'no Route matched with those values' },
      });
      expect(classifyCall(reply.status, reply.body).kind).toBe('clientError');
    }
    const outside = await fetch(`${sim.baseUrl}/v2/other`);
    expect(outside.status).toBe(404);
  });

  it('answers a malformed body with 400 code 2', async () => {
    const { api } = await setup();
    for (const body of [
      '{not json',
      '[]',
      { uid: '1' },
      { cname: 'r', uid: 'abc' },
      { cname: 'r', uid: '0' },
    ]) {
      const reply = await api.call('POST', 'acquire', body);
      expect(reply.status).toBe(400);
      expect(reply.body.code).toBe(2);
      expect(typeof reply.body.reason).toBe('string');
    }
  });

  it('refuses a start 5 minutes after acquire with 433, and a reused resource id', async () => {
    const { api, clock } = await setup();
    const late = (await api.acquire('room')).body.resourceId as string;
    clock.advanceBy(300_001);
    const expired = await api.start(late, 'mix', 'room');
    expect(expired).toMatchObject({ status: 400, body: { code: 433 } });
    const fresh = (await api.acquire('room')).body.resourceId as string;
    expect((await api.start(fresh, 'mix', 'room')).status).toBe(200);
    expect((await api.start(fresh, 'mix', 'room')).body.code).toBe(53);
    expect((await api.start('nope', 'mix', 'room')).body.code).toBe(1001);
    const other = (await api.acquire('room')).body.resourceId as string;
    expect((await api.start(other, 'mix', 'another-room')).body.code).toBe(432);
  });

  it('answers a second stop with 400 code 49, and query after the end with 404 worker', async () => {
    const { api, clock, sim } = await setup({ hosts: { room: [{ uid: 7, fromMs: 0 }] } });
    const { resourceId, sid } = await api.record('room', 'mix');
    clock.advanceBy(10_000);
    await sim.settle();
    expect((await api.stop(resourceId, sid, 'mix', 'room')).status).toBe(200);
    const again = await api.stop(resourceId, sid, 'mix', 'room');
    expect(again).toEqual({
      status: 400,
      body: { code: 49, reason: 'the recording is already exiting' },
    });
    clock.advanceBy(5_000);
    const query = await api.query(resourceId, sid, 'mix');
    expect(classifyQuery(query.status, query.body)).toMatchObject({ kind: 'notFound', code: 404 });
  });

  it('answers a stop with nothing recorded with 206 code 435, and ends the recording', async () => {
    const { api, clock, sim } = await setup({ hosts: { empty: [] } });
    const { resourceId, sid } = await api.record('empty', 'mix');
    clock.advanceBy(3_000);
    const stop = await api.stop(resourceId, sid, 'mix', 'empty');
    expect(stop).toEqual({ status: 206, body: { code: 435, reason: 'no recorded data' } });
    await sim.settle();
    expect(sim.truth()[0]).toMatchObject({ quit: { cause: 'stopped' } });
  });

  it('answers update and updateLayout while alive, 404 once ended', async () => {
    const { api, clock } = await setup({ hosts: { room: [{ uid: 7, fromMs: 0 }] } });
    const { resourceId, sid } = await api.record('room', 'mix');
    clock.advanceBy(3_000);
    for (const call of ['update', 'updateLayout']) {
      const reply = await api.call('POST', `resourceid/${resourceId}/sid/${sid}/mode/mix/${call}`, {
        cname: 'room',
        uid: '527841',
        clientRequest: {},
      });
      expect(reply).toEqual({
        status: 200,
        body: { cname: 'room', uid: '527841', resourceId, sid },
      });
    }
    await api.stop(resourceId, sid, 'mix', 'room', '527841', true);
    const after = await api.call('POST', `resourceid/${resourceId}/sid/${sid}/mode/mix/update`, {
      cname: 'room',
      uid: '527841',
      clientRequest: {},
    });
    expect(after.status).toBe(404);
    expect(after.body.code).toBe(404);
  });

  it('enforces the QPS limit per app id with 429 {message: "API rate limit exceeded"}', async () => {
    const { api, clock } = await setup({ qpsLimit: 10 });
    const replies = [];
    for (let i = 0; i < 12; i++)
      replies.push(await api.call('GET', 'resourceid/R/sid/S/mode/mix/query'));
    expect(replies.slice(0, 10).every((r) => r.status === 404)).toBe(true);
    expect(replies.slice(10)).toEqual([
      { status: 429, body: { message: 'API rate limit exceeded' } },
      { status: 429, body: { message: 'API rate limit exceeded' } },
    ]);
    expect(classifyCall(429, replies[10]!.body).kind).toBe('rateLimited');
    clock.advanceBy(1_000);
    expect((await api.call('GET', 'resourceid/R/sid/S/mode/mix/query')).status).toBe(404);
  });

  it('refuses starts beyond the concurrency limit with 400 code 406 vendor_over_load (§5)', async () => {
    const { api } = await setup({ concurrencyLimit: 2 });
    expect((await api.record('a')).started.status).toBe(200);
    expect((await api.record('b')).started.status).toBe(200);
    const third = (await api.record('c')).started;
    expect(third.status).toBe(400);
    expect(third.body).toEqual({ code: 406, reason: 'vendor_over_load' });
    expect(parseErrorBody(third.body).code).toBe(406);
  });
});

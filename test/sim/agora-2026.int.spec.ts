// Each fault of Agora's 2026 pages (agora-cloud-recording.md §5) looks on the wire as the page
// says, and the truth records it.
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/index.js';
import { classifyQuery, parseErrorBody, parseNotification } from '../../src/signals/index.js';
import {
  type SimulatorOptions,
  startSimulator,
  type TrueStartRefusal,
} from '../../src/sim/index.js';
import { client, runFor, startReceiver } from './helpers.js';

const T0 = Date.UTC(2026, 0, 1);
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

interface Event {
  eventType: number;
  payload: {
    sid: string;
    cname: string;
    uid: string;
    sequence: number;
    serviceScene?: string;
    details: Record<string, unknown>;
  };
}

async function setup(options: SimulatorOptions) {
  const receiver = await startReceiver();
  const clock = new VirtualClock(T0);
  const sim = await startSimulator({
    seed: 26,
    clock,
    webhookUrl: receiver.url,
    secret: 's',
    ...options,
  });
  cleanups.push(() => sim.close(), receiver.close);
  const events = (sid?: string) =>
    receiver.received
      .map((r) => r.body as unknown as Event)
      .filter((e) => sid === undefined || e.payload.sid === sid);
  const recordings = () => sim.recordings();
  return { receiver, clock, sim, api: client(sim), events, recordings };
}

const alwaysHost = { room: [{ uid: 4411, fromMs: 0 }] };
const webParam = (serviceParam: Record<string, unknown>) => ({
  extensionServiceConfig: {
    extensionServices: [{ serviceName: 'web_recorder_service', serviceParam }],
  },
});

describe("Agora's 2026 pages, on the wire", () => {
  it('quota peaks: acquire and start answer 400 code 406 vendor_over_load, then work again', async () => {
    const { clock, sim, api } = await setup({
      overrides: { api: { overloadPeaksPerHour: 30, overloadPeakMs: [60_000, 60_000] } },
    });
    const acquired = await api.acquire('room');
    const resourceId = acquired.body.resourceId as string;
    let refused = acquired;
    while (refused.status === 200) {
      clock.advanceBy(5_000);
      refused = await api.acquire('room');
    }
    expect(refused).toEqual({ status: 400, body: { code: 406, reason: 'vendor_over_load' } });
    expect(parseErrorBody(refused.body).code).toBe(406);
    const start = await api.start(resourceId, 'mix', 'room');
    expect(start.body).toEqual({ code: 406, reason: 'vendor_over_load' });
    const refusal = sim.truth().find((r) => r.type === 'startRefused') as TrueStartRefusal;
    expect(refusal).toMatchObject({ httpStatus: 400, code: 406, reason: 'overload' });
    expect(sim.requests().filter((r) => r.fault === 'overload').length).toBe(2);
    clock.advanceBy(60_000);
    expect((await api.acquire('room')).status).toBe(200);
  });

  it('stop during a failover answers 404 and the session lives on, then stops once moved', async () => {
    const { clock, sim, api, events } = await setup({
      hosts: alwaysHost,
      overrides: { life: { serverLossPerHour: 60 } },
    });
    const { resourceId, sid } = await api.record('room', 'mix');
    const truth = () => sim.recordings()[0]!;
    while (truth().states.at(-1)!.state !== 'failoverPending') await runFor(clock, sim, 1_000);
    const stop = await api.stop(resourceId, sid, 'mix', 'room');
    expect(stop).toEqual({ status: 404, body: { code: 404, reason: 'failed to find worker' } });
    expect(truth().quit).toBeNull();
    expect(truth().faults.map((f) => f.kind)).toEqual(['serverLoss', 'stopDuringFailover']);
    while (events(sid).every((e) => e.eventType !== 12)) await runFor(clock, sim, 1_000);
    await runFor(clock, sim, 3_000);
    const query = await api.query(resourceId, sid, 'mix');
    expect(classifyQuery(query.status, query.body)).toMatchObject({ kind: 'alive' });
    expect((await api.stop(resourceId, sid, 'mix', 'room')).status).toBe(200);
    expect(truth().quit?.cause).toBe('stopped');
  });

  it('mode raw (Individual Recording v2): /mode/raw/ paths, serviceScene rtsc/raw-recording', async () => {
    const { clock, sim, api, events } = await setup({ hosts: alwaysHost });
    const { resourceId, sid, started } = await api.record('room', 'raw');
    expect(started.status).toBe(200);
    await runFor(clock, sim, 10_000);
    const query = await api.query(resourceId, sid, 'raw');
    expect(query.status).toBe(200);
    expect(classifyQuery(query.status, query.body)).toMatchObject({ kind: 'alive', status: 5 });
    expect(events(sid).length).toBeGreaterThan(3);
    for (const event of events(sid)) {
      expect(event.payload.serviceScene).toBe('rtsc/raw-recording');
      expect(parseNotification(event).ok).toBe(true);
    }
    expect((await api.stop(resourceId, sid, 'raw', 'room')).status).toBe(200);
    expect(sim.recordings()[0]).toMatchObject({ mode: 'raw', quit: { cause: 'stopped' } });
  });

  it('a web recorder started paused answers status 0, inProgress and onhold until the host resumes it', async () => {
    const { clock, sim, api, events } = await setup({});
    const { resourceId, sid } = await api.record('room', 'web', webParam({ onhold: true }));
    await runFor(clock, sim, 120_000, 5_000);
    const paused = await api.query(resourceId, sid, 'web');
    expect(paused.body.serverResponse).toMatchObject({
      status: 0,
      extensionServiceState: [
        { serviceName: 'web_recorder_service', payload: { state: 'inProgress', onhold: true } },
      ],
    });
    expect(events(sid).map((e) => e.eventType)).not.toContain(70);
    // Running and billed: the truth says recording.
    expect(sim.recordings()[0]!.states.at(-1)!.state).toBe('recording');
    const resume = {
      cname: 'room',
      uid: '527841',
      clientRequest: { webRecordingConfig: { onhold: false } },
    };
    const path = `resourceid/${resourceId}/sid/${sid}/mode/web/update`;
    expect((await api.call('POST', path, resume)).status).toBe(200);
    await runFor(clock, sim, 10_000);
    const running = await api.query(resourceId, sid, 'web');
    expect(running.body.serverResponse).toMatchObject({
      status: 5,
      extensionServiceState: [{ payload: { state: 'inProgress', onhold: false } }],
    });
    expect(events(sid).map((e) => e.eventType)).toContain(70);
    expect(sim.recordings()[0]!.faults).toEqual([
      { kind: 'onhold', at: T0 + 0, until: T0 + 120_000 },
    ]);
  });

  it('a profile draws paused web recorders, resumed by the host within onholdMs', async () => {
    const { clock, sim, api, events } = await setup({
      overrides: { life: { webStartsOnhold: 1, onholdMs: [30_000, 60_000] } },
    });
    const { sid } = await api.record('room', 'web');
    await runFor(clock, sim, 90_000, 5_000);
    const [hold] = sim.recordings()[0]!.faults;
    expect(hold?.kind).toBe('onhold');
    expect(hold!.until! - T0).toBeGreaterThanOrEqual(30_000);
    expect(hold!.until! - T0).toBeLessThanOrEqual(60_000);
    expect(events(sid).find((e) => e.eventType === 70)).toBeDefined();
  });

  it("maxRecordingHour: when the host's limit is reached, 71 code 1 max_recording_hour and the session ends", async () => {
    const { clock, sim, api, events } = await setup({});
    const { sid } = await api.record('room', 'web', webParam({ maxRecordingHour: 1 }));
    await runFor(clock, sim, 3_600_000 + 5_000, 60_000);
    const stopped = events(sid).find((e) => e.eventType === 71)!;
    expect(stopped.payload.details).toMatchObject({ code: 1, message: 'max_recording_hour' });
    expect(events(sid).some((e) => e.eventType === 11)).toBe(true);
    expect(sim.recordings()[0]!.quit).toEqual({ at: T0 + 3_600_000, cause: 'maxRecordingHour' });
  });

  it('a profile draws maxRecordingHour ends of web recorders (and never of others)', async () => {
    const { clock, sim, api, events } = await setup({
      hosts: alwaysHost,
      overrides: { life: { maxRecordingHourPerHour: 20 } },
    });
    const web = await api.record('webroom', 'web');
    await api.record('room', 'mix');
    await runFor(clock, sim, 30 * 60_000, 30_000);
    const [webTruth, mixTruth] = sim.recordings();
    expect(webTruth!.quit?.cause).toBe('maxRecordingHour');
    expect(webTruth!.faults[0]).toMatchObject({ kind: 'maxRecordingHour' });
    expect(mixTruth!.quit).toBeNull();
    expect(events(web.sid).find((e) => e.eventType === 71)!.payload.details.code).toBe(1);
  });

  it('a start whose answer is lost: reset or 504, but the recorder runs and notifies with its cname and uid', async () => {
    const { clock, sim, api, events } = await setup({ overrides: { api: { startAnswerLost: 1 } } });
    const answers: (number | 'reset')[] = [];
    for (let i = 0; i < 8; i++) {
      clock.advanceBy(1_000); // within the QPS limit
      const { resourceId } = (await api.acquire(`room-${i}`, String(1000 + i))).body as {
        resourceId: string;
      };
      const started = await api
        .start(resourceId, 'mix', `room-${i}`, String(1000 + i))
        .catch(() => undefined);
      answers.push(started === undefined ? 'reset' : started.status);
      if (started !== undefined)
        expect(started.body).toEqual({ code: 62, reason: 'request timeout' });
    }
    expect(new Set(answers)).toEqual(new Set(['reset', 504]));
    await runFor(clock, sim, 5_000);
    const truth = sim.recordings();
    expect(truth).toHaveLength(8);
    for (const [i, recording] of truth.entries()) {
      expect(recording.faults).toEqual([{ kind: 'startAnswerLost', at: T0 + (i + 1) * 1_000 }]);
      const started = events(recording.sid).find((e) => e.eventType === 40)!;
      expect(started.payload).toMatchObject({ cname: `room-${i}`, uid: String(1000 + i) });
    }
    expect(sim.requests().filter((r) => r.fault === 'answerLost')).toHaveLength(8);
    expect(sim.requests().filter((r) => r.httpStatus === null)).toHaveLength(
      answers.filter((a) => a === 'reset').length,
    );
  });

  it('a second start with the cname and uid of a running task: 400 code 53, or code 7 (201 or 400)', async () => {
    const { clock, sim, api } = await setup({ hosts: alwaysHost });
    const first = await api.record('room', 'mix');
    const answers = new Set<string>();
    for (let i = 0; i < 12; i++) {
      clock.advanceBy(1_000); // within the QPS limit
      const second = await api.record('room', 'mix');
      expect(second.sid).toBeUndefined();
      answers.add(`${second.started.status} ${second.started.body.code}`);
    }
    expect(answers).toEqual(new Set(['400 53', '201 7', '400 7']));
    const refusals = sim.truth().filter((r) => r.type === 'startRefused');
    expect(refusals).toHaveLength(12);
    for (const refusal of refusals)
      expect(refusal).toMatchObject({ reason: 'conflict', runningSid: first.sid });
    // Another uid is another task.
    const other = await api.acquire('room', '527843');
    const started = await api.start(other.body.resourceId as string, 'mix', 'room', '527843');
    expect(started.status).toBe(200);
  });

  it('a stranded upload: stop says uploadingStatus stranded, 32 too, and 31 comes minutes later', async () => {
    const { clock, sim, api, events } = await setup({
      hosts: alwaysHost,
      overrides: { life: { strandedUploads: 1 } },
    });
    const { resourceId, sid } = await api.record('room', 'individual');
    await runFor(clock, sim, 10_000);
    const stop = await api.stop(resourceId, sid, 'individual', 'room');
    expect(stop.status).toBe(200);
    expect(stop.body.serverResponse).toMatchObject({ uploadingStatus: 'stranded' });
    await runFor(clock, sim, 2_000);
    const tail = events(sid).filter((e) => [31, 32, 33].includes(e.eventType));
    expect(tail.at(-1)).toMatchObject({
      eventType: 32,
      payload: { details: { uploadingStatus: 'stranded' } },
    });
    expect(events(sid).some((e) => e.eventType === 31)).toBe(false);
    await runFor(clock, sim, 20 * 60_000, 60_000);
    expect(events(sid).find((e) => e.eventType === 31)!.payload.details.uploadingStatus).toBe(
      'uploaded',
    );
    expect(sim.recordings()[0]!.faults.map((f) => f.kind)).toEqual(['stranded']);
  });

  it('unsubscribed event types: never sent, and sequence jumps over them', async () => {
    const { clock, sim, api, events } = await setup({
      hosts: alwaysHost,
      overrides: { delivery: { unsubscribed: [33, 43, 44] } },
    });
    const { sid } = await api.record('room', 'individual');
    await runFor(clock, sim, 5 * 60_000, 5_000);
    const received = events(sid);
    expect(received.map((e) => e.eventType)).not.toContain(33);
    expect(received.map((e) => e.eventType)).not.toContain(43);
    const skipped = sim.deliveries().filter((d) => d.fault === 'unsubscribed');
    expect(new Set(skipped.map((d) => d.eventType))).toEqual(new Set([33, 43, 44]));
    const sequences = received.map((e) => e.payload.sequence);
    const all = [...sequences, ...skipped.map((d) => d.sequence)].sort((a, b) => a - b);
    expect(all).toEqual(all.map((_, i) => i));
    expect(sequences.some((s, i) => i > 0 && s - sequences[i - 1]! > 1)).toBe(true);
  });

  it('lost exit notifications: a quit whose 41, 11 and 31 never come; the fatal error and the query tell it', async () => {
    const { clock, sim, api, events } = await setup({
      hosts: alwaysHost,
      overrides: { life: { abnormalExitPerHour: 60 }, delivery: { exitNoticesLost: 1 } },
    });
    const { resourceId, sid } = await api.record('room', 'mix');
    while (sim.recordings()[0]!.quit === null) await runFor(clock, sim, 1_000);
    const query = await api.query(resourceId, sid, 'mix');
    expect(classifyQuery(query.status, query.body)).toMatchObject({ status: 20 });
    await runFor(clock, sim, 5_000);
    const types = events(sid).map((e) => e.eventType);
    expect(types).toContain(1);
    for (const exit of [41, 11, 31, 32]) expect(types).not.toContain(exit);
    const lost = sim.deliveries().filter((d) => d.sid === sid && d.fault === 'lost');
    expect(lost.map((d) => d.eventType)).toEqual([41, 11, 31]);
    expect(sim.recordings()[0]!.faults.map((f) => f.kind)).toEqual([
      'abnormalExit',
      'exitNoticesLost',
    ]);
  });
});

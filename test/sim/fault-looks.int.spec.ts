import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/index.js';
import { classifyQuery, parseNotification } from '../../src/signals/index.js';
import { type SimulatorOptions, startSimulator, type TrueRecording } from '../../src/sim/index.js';
import { client, runFor, startReceiver } from './helpers.js';

const T0 = Date.UTC(2026, 0, 1);
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function setup(options: SimulatorOptions) {
  const receiver = await startReceiver();
  const clock = new VirtualClock(T0);
  const sim = await startSimulator({
    seed: 21,
    clock,
    webhookUrl: receiver.url,
    secret: 's',
    ...options,
  });
  cleanups.push(() => sim.close(), receiver.close);
  const events = (sid?: string) =>
    receiver.received
      .map(
        (r) =>
          r.body as {
            eventType: number;
            payload: { sid: string; sequence: number; details: Record<string, unknown> };
          },
      )
      .filter((b) => sid === undefined || b.payload.sid === sid);
  return { receiver, clock, sim, api: client(sim), events };
}

const alwaysHost = { room: [{ uid: 4411, fromMs: 0 }] };

describe('each fault looks on the wire as the domain doc says', () => {
  it('idle exit: no host for maxIdleTime ⇒ 41 leaveCode 4, 11 exitStatus 0', async () => {
    const { clock, sim, api, events } = await setup({ hosts: { room: [] } });
    await api.record('room', 'mix', { recordingConfig: { maxIdleTime: 10 } });
    await runFor(clock, sim, 20_000);
    const truth = sim.truth()[0] as TrueRecording;
    expect(truth.quit).toEqual({ at: T0 + 2_000 + 10_000, cause: 'idle' });
    const tail = events().filter((e) => e.eventType === 41 || e.eventType === 11);
    expect(tail.map((e) => e.payload.details)).toEqual([
      { msgName: 'recorder_leave', leaveCode: 4 },
      { msgName: 'session_exit', exitStatus: 0 },
    ]);
  });

  it('abnormal exit: event 1 fatal, query status 20, 11 exitStatus 1', async () => {
    const { clock, sim, api, events } = await setup({
      hosts: alwaysHost,
      overrides: { life: { abnormalExitPerHour: 120 } },
    });
    const { resourceId, sid } = await api.record('room', 'individual');
    let sawTwenty = false;
    while ((sim.truth()[0] as TrueRecording).quit === null) {
      clock.advanceBy(1_000);
      await sim.settle();
    }
    const query = await api.query(resourceId, sid, 'individual');
    const outcome = classifyQuery(query.status, query.body);
    sawTwenty = outcome.kind === 'alive' && outcome.status === 20;
    expect(sawTwenty).toBe(true);
    await runFor(clock, sim, 12_000);
    expect((await api.query(resourceId, sid, 'individual')).status).toBe(404);
    const fatal = events().find((e) => e.eventType === 1)!;
    expect(fatal.payload.details).toMatchObject({
      msgName: 'cloud_recording_error',
      errorLevel: 5,
    });
    expect(events().find((e) => e.eventType === 11)!.payload.details.exitStatus).toBe(1);
    expect((sim.truth()[0] as TrueRecording).quit!.cause).toBe('abnormalExit');
  });

  it('web recorder stop: 71 with a code ≠ 0, then 11 exitStatus 1', async () => {
    const { clock, sim, api, events } = await setup({
      overrides: { life: { webRecorderStopPerHour: 120 } },
    });
    await api.record('room', 'web');
    while ((sim.truth()[0] as TrueRecording).quit === null) await runFor(clock, sim, 5_000);
    await runFor(clock, sim, 2_000);
    const stopped = events().find((e) => e.eventType === 71)!;
    expect([4, 5, 6]).toContain(stopped.payload.details.code);
    expect(events().find((e) => e.eventType === 11)!.payload.details.exitStatus).toBe(1);
    expect((sim.truth()[0] as TrueRecording).quit!.cause).toBe('webRecorderStopped');
  });

  it('capability limit: 72, then 71 code 2', async () => {
    const { clock, sim, api, events } = await setup({
      overrides: { life: { capabilityLimitPerHour: 120 } },
    });
    await api.record('room', 'web');
    while ((sim.truth()[0] as TrueRecording).quit === null) await runFor(clock, sim, 5_000);
    await runFor(clock, sim, 2_000);
    const types = events().map((e) => e.eventType);
    expect(types.indexOf(72)).toBeLessThan(types.indexOf(71));
    expect(events().find((e) => e.eventType === 71)!.payload.details).toMatchObject({
      code: 2,
      message: 'capability_limit',
    });
  });

  it('notifications before the start response: the webhook has the sid before the client does', async () => {
    const { receiver, api } = await setup({ overrides: { delivery: { beforeStartResponse: 1 } } });
    const { sid } = await api.record('room', 'mix');
    const early = receiver.received.filter((r) => (r.body.payload as { sid: string }).sid === sid);
    expect(early.map((r) => r.body.eventType)).toEqual([13, 40]);
  });

  it('late redundant quits: the old sid’s 11 and 31 arrive again after a new start', async () => {
    const { clock, sim, api, events } = await setup({
      hosts: alwaysHost,
      overrides: { delivery: { lateOldSidQuits: 1 } },
    });
    const first = await api.record('room', 'mix');
    await runFor(clock, sim, 10_000);
    await api.stop(first.resourceId, first.sid, 'mix', 'room');
    await runFor(clock, sim, 3_000);
    const before = events(first.sid).length;
    await api.record('room', 'mix');
    await runFor(clock, sim, 6_000);
    const late = events(first.sid).slice(before);
    expect(late.map((e) => e.eventType)).toEqual([11, 31]);
    expect(sim.deliveries().filter((d) => d.fault === 'lateOldSid')).toHaveLength(2);
  });

  it('reordered and lost notifications: gaps and inversions in sequence at the receiver', async () => {
    const { clock, sim, api, events } = await setup({
      hosts: alwaysHost,
      overrides: { delivery: { reordered: 0.3, lost: 0.2 } },
    });
    const { sid } = await api.record('room', 'individual');
    await runFor(clock, sim, 10 * 60_000, 5_000);
    const sequences = events(sid).map((e) => e.payload.sequence);
    const inversions = sequences.filter((s, i) => i > 0 && s < sequences[i - 1]!).length;
    expect(inversions).toBeGreaterThan(0);
    const sent = sim.deliveries().filter((d) => d.sid === sid);
    const lost = sent.filter((d) => d.fault === 'lost').map((d) => d.sequence);
    expect(lost.length).toBeGreaterThan(0);
    for (const sequence of lost) expect(sequences).not.toContain(sequence);
    for (const received of events(sid)) expect(parseNotification(received).ok).toBe(true);
  });

  it('a 429 burst: every call answers 429 {message} for rateLimitBurstMs, then normal again', async () => {
    const { clock, api, sim } = await setup({
      overrides: { api: { rateLimitBurst: 1, rateLimitBurstMs: 3_000 } },
    });
    const first = await api.acquire('room');
    expect(first).toEqual({ status: 429, body: { message: 'API rate limit exceeded' } });
    clock.advanceBy(2_000);
    expect((await api.acquire('room')).status).toBe(429);
    expect(sim.requests().map((r) => r.fault)).toEqual(['rateLimitBurst', 'rateLimitBurst']);
  });
});

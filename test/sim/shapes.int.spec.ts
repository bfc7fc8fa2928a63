import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/index.js';
import {
  classifyCall,
  classifyQuery,
  isKnownEventType,
  parseAcquireResponse,
  parseNotification,
  parseStartResponse,
  parseStopResponse,
} from '../../src/signals/index.js';
import { type Simulator, type SimulatorOptions, startSimulator } from '../../src/sim/index.js';
import { DETAILS, ENVELOPE, ERRORS, QUERY, shapeOf } from './fixtures/documented.js';
import { client, runFor } from './helpers.js';

const T0 = Date.UTC(2026, 0, 1);
const sims: Simulator[] = [];
afterEach(async () => {
  for (const sim of sims.splice(0)) await sim.close();
});

async function setup(options: SimulatorOptions = {}) {
  const clock = new VirtualClock(T0);
  const sim = await startSimulator({ seed: 9, clock, ...options });
  sims.push(sim);
  return { clock, sim, api: client(sim) };
}

// An empty array fits any documented array: a recording may have no file yet.
function fits(actual: unknown, documented: unknown): boolean {
  if (Array.isArray(actual) && Array.isArray(documented)) {
    return actual[0] === 'empty' || fits(actual[0], documented[0]);
  }
  if (
    actual !== null &&
    typeof actual === 'object' &&
    documented !== null &&
    typeof documented === 'object'
  ) {
    const a = actual as Record<string, unknown>;
    const d = documented as Record<string, unknown>;
    return (
      JSON.stringify(Object.keys(a)) === JSON.stringify(Object.keys(d)) &&
      Object.keys(d).every((key) => fits(a[key], d[key]))
    );
  }
  return actual === documented;
}

const hosts = Object.fromEntries(
  ['i', 'm', 'mm', 'w', 'f', 'a'].map((c) => [c, [{ uid: 4411, fromMs: 0 }]]),
);

describe('what the simulator sends has the documented shape and passes our parsers', () => {
  it('query in each mode matches the documented example and reads as alive', async () => {
    const { clock, sim, api } = await setup({ hosts });
    const rtmp = {
      extensionServiceConfig: {
        extensionServices: [
          {
            serviceName: 'rtmp_publish_service',
            serviceParam: { outputs: [{ rtmpUrl: 'rtmp://cdn.example/live/k' }] },
          },
        ],
      },
    };
    const cases = [
      ['i', 'individual', {}, QUERY.individual],
      ['m', 'mix', {}, QUERY.mixString],
      ['mm', 'mix', { recordingFileConfig: { avFileType: ['hls', 'mp4'] } }, QUERY.mixJson],
      ['w', 'web', rtmp, QUERY.web],
    ] as const;
    const started = [];
    for (const [cname, mode, clientRequest] of cases) {
      const acquired = await api.acquire(cname);
      expect(parseAcquireResponse(acquired.body).ok).toBe(true);
      const ids = await api.start(
        acquired.body.resourceId as string,
        mode,
        cname,
        '527841',
        clientRequest,
      );
      expect(parseStartResponse(ids.body).ok).toBe(true);
      started.push(ids.body as { resourceId: string; sid: string });
    }
    await runFor(clock, sim, 10_000);
    for (const [index, [cname, mode, , documented]] of cases.entries()) {
      const { resourceId, sid } = started[index]!;
      const query = await api.query(resourceId, sid, mode);
      expect(query.status).toBe(200);
      expect(shapeOf(query.body)).toEqual(shapeOf(documented));
      expect(classifyQuery(200, query.body)).toMatchObject({ kind: 'alive', status: 5, sid });
      const stop = await api.stop(resourceId, sid, mode, cname);
      const parsed = parseStopResponse(stop.body);
      expect(parsed.ok && parsed.value.uploadingStatus).toBe('uploaded');
      expect(parsed.ok && parsed.value.serverResponse.files.length).toBeGreaterThan(0);
    }
  });

  it('each error body matches the documented one for its status and code', async () => {
    const { clock, sim, api } = await setup({ hosts: { empty: [], i: hosts.i! }, qpsLimit: 1_000 });
    const { resourceId, sid } = await api.record('i', 'individual');
    await runFor(clock, sim, 10_000);
    await api.stop(resourceId, sid, 'individual', 'i');
    await api.stop(resourceId, sid, 'individual', 'i');
    await api.query(resourceId, sid, 'individual');
    await api.call('POST', 'acquire', '{');
    await api.call('POST', 'acquire', { cname: 'x', uid: '1' }, 'Basic eDp5');
    await api.call('POST', 'nowhere', {});
    const stale = (await api.acquire('empty')).body.resourceId as string;
    clock.advanceBy(400_000);
    await api.start(stale, 'mix', 'empty');
    const empty = await api.record('empty', 'mix');
    await api.stop(empty.resourceId, empty.sid, 'mix', 'empty');
    const flaky = await setup({ overrides: { api: { queryNotCompleted: 1 } }, qpsLimit: 1 });
    await flaky.api.query('R', 'S', 'mix');
    await flaky.api.query('R', 'S', 'mix');
    const timeouts = await setup({ seed: 2, overrides: { api: { queryServerError: 1 } } });
    for (let i = 0; i < 6; i++) await timeouts.api.query('R', 'S', 'mix');
    const failures = [sim, flaky.sim, timeouts.sim]
      .flatMap((s) => s.requests())
      .filter((r) => r.httpStatus !== 200);
    const matched = new Set<string>();
    for (const failure of failures) {
      const body = failure.response as { code?: number };
      const documented = Object.entries(ERRORS).find(
        ([, e]) =>
          e.httpStatus === failure.httpStatus && (e.body as { code?: number }).code === body.code,
      );
      if (documented === undefined) continue;
      matched.add(documented[0]);
      expect(shapeOf(body)).toEqual(shapeOf(documented[1].body));
      expect(classifyCall(failure.httpStatus, body).kind).not.toBe('ok');
    }
    expect([...matched].sort()).toEqual(Object.keys(ERRORS).sort());
  });

  it('every event type it sends has the documented envelope and details, and parses', async () => {
    const runs: SimulatorOptions[] = [
      {
        hosts,
        overrides: { life: { processKillPerHour: 30, warningsPerHour: 120 } },
      },
      { hosts, overrides: { life: { abnormalExitPerHour: 120, backupUploads: 1 } } },
      { overrides: { life: { capabilityLimitPerHour: 30 } } },
      { hosts: { f: [] } },
    ];
    const bodies: string[] = [];
    for (const [index, options] of runs.entries()) {
      const { clock, sim, api } = await setup(options);
      const mode = index === 2 ? 'web' : index === 0 ? 'individual' : 'mix';
      const cname = index === 3 ? 'f' : 'i';
      const rtmp = {
        extensionServiceConfig: {
          extensionServices: [
            {
              serviceName: 'rtmp_publish_service',
              serviceParam: { outputs: [{ rtmpUrl: 'rtmp://x/y' }] },
            },
          ],
        },
      };
      const ids = await api.record(cname, mode, index === 2 ? rtmp : {});
      await runFor(clock, sim, 10 * 60_000, 10_000);
      await api.stop(ids.resourceId, ids.sid, mode, cname);
      await runFor(clock, sim, 5_000);
      bodies.push(...sim.deliveries().map((d) => d.body));
    }
    const seen = new Set<number>();
    for (const raw of bodies) {
      const body = JSON.parse(raw) as typeof ENVELOPE;
      seen.add(body.eventType);
      const { details, ...payload } = body.payload;
      const { details: _, ...documentedPayload } = ENVELOPE.payload;
      expect(shapeOf({ ...body, payload })).toEqual(
        shapeOf({ ...ENVELOPE, payload: documentedPayload }),
      );
      const documented = DETAILS[body.eventType];
      expect(documented, `event ${body.eventType} is in the domain table`).toBeDefined();
      expect(
        fits(shapeOf(details), shapeOf(documented)),
        `details of ${body.eventType}: ${JSON.stringify(details)}`,
      ).toBe(true);
      const parsed = parseNotification(raw);
      expect(parsed.ok).toBe(true);
      if (parsed.ok) expect(parsed.value.known).toBe(isKnownEventType(body.eventType));
    }
    expect([...seen].sort((a, b) => a - b)).toEqual(Object.keys(DETAILS).map(Number));
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/index.js';
import { classifyQuery } from '../../src/signals/index.js';
import { type Simulator, startSimulator } from '../../src/sim/index.js';
import { client, runFor } from './helpers.js';

const T0 = Date.UTC(2026, 0, 1);
const sims: Simulator[] = [];
afterEach(async () => {
  for (const sim of sims.splice(0)) await sim.close();
});

describe('a recording on the clock', () => {
  it('climbs status 0→1→2→3→4 in its first 2 s, and to 5 once a file is uploaded', async () => {
    const clock = new VirtualClock(T0);
    const sim = await startSimulator({ clock, hosts: { room: [{ uid: 7, fromMs: 0 }] } });
    sims.push(sim);
    const api = client(sim);
    const { resourceId, sid } = await api.record('room', 'mix');
    const statuses = [];
    for (const step of [0, 600, 500, 500, 500, 4_000]) {
      clock.advanceBy(step);
      await sim.settle();
      const query = await api.query(resourceId, sid, 'mix');
      const outcome = classifyQuery(query.status, query.body);
      statuses.push(outcome.kind === 'alive' ? outcome.status : outcome.kind);
    }
    expect(statuses).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('follows the channel’s hosts: 43/44 as they come and go, 42 with the gap when streams resume', async () => {
    const clock = new VirtualClock(T0);
    const sim = await startSimulator({
      clock,
      hosts: {
        room: [
          { uid: 7, fromMs: 0, toMs: 10_000 },
          { uid: 8, fromMs: 12_000 },
        ],
      },
    });
    sims.push(sim);
    await client(sim).record('room', 'individual', { recordingConfig: { maxIdleTime: 30 } });
    await runFor(clock, sim, 20_000);
    const events = sim
      .deliveries()
      .map(
        (d) =>
          JSON.parse(d.body) as {
            eventType: number;
            payload: { details: Record<string, unknown> };
          },
      )
      .filter((b) => [42, 43, 44].includes(b.eventType))
      .map((b) => [b.eventType, b.payload.details.streamUid, b.payload.details.state ?? null]);
    expect(events).toEqual([
      [43, '7', 0],
      [44, '7', 0],
      [42, '7', null],
      [43, '7', 1],
      [44, '7', 1],
      [43, '8', 0],
      [44, '8', 0],
      [42, '8', null],
    ]);
    const resumed = sim
      .deliveries()
      .map((d) => JSON.parse(d.body))
      .filter((b) => b.eventType === 42)[1];
    expect(resumed.payload.details).toMatchObject({
      startUtcMs: T0 + 12_000,
      discontinueUtcMs: T0 + 10_000,
    });
    expect(sim.recordings()[0]!.files.map((f) => f.fileName)).toEqual([
      `${sim.recordings()[0]!.sid}_room__uid_s_7__uid_e_av.m3u8`,
      `${sim.recordings()[0]!.sid}_room__uid_s_8__uid_e_av.m3u8`,
    ]);
  });
});

describe('the simulator plays Agora, not recwatch', () => {
  it('imports nothing from core, runtime, signals or the log', () => {
    // Every file under src/sim (the baselines' folder too): imports stay in sim, clock, errors.
    const src = new URL('../../src/', import.meta.url);
    const files = readdirSync(new URL('sim/', src), { recursive: true, encoding: 'utf8' });
    for (const file of files.filter((name) => name.endsWith('.ts'))) {
      const at = new URL(`sim/${file}`, src);
      const source = readFileSync(at, 'utf8');
      const imports = [...source.matchAll(/from '(\.\.?\/[^']+)'/g)].map((m) => m[1]!);
      for (const path of imports) {
        const target = new URL(path, at).href.slice(src.href.length);
        expect(target, file).toMatch(/^(sim|clock|errors)\//);
      }
    }
  });
});

// The fleet harness moves the simulated clock only once recwatch is done with what the last
// step gave it: a commit of its log outlasts many turns of the event loop (SQLite commits on a
// thread of their own), and the simulator sees none of it. A log slow by turns, not by time, must
// give the run a fast log gives.
import { setImmediate } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { recwatchObserver } from '../../src/fleet/recwatch-observer.js';
import { type FleetRun, runFleet } from '../../src/fleet/run.js';
import { createMemoryLog, type EventLog } from '../../src/index.js';

/** A memory log whose writes finish only after `turns` turns of the event loop. */
function slowLog(turns: number): EventLog {
  const log = createMemoryLog();
  const later = async <T>(work: () => Promise<T>): Promise<T> => {
    for (let turn = 0; turn < turns; turn += 1) await setImmediate();
    return work();
  };
  return {
    append: (stream, items, options) => later(() => log.append(stream, items, options)),
    saveSnapshot: (snapshot) => later(() => log.saveSnapshot(snapshot)),
    readStream: (stream, options) => log.readStream(stream, options),
    readAll: (options) => log.readAll(options),
    streamVersion: (stream) => log.streamVersion(stream),
    loadSnapshot: (schemaVersion) => log.loadSnapshot(schemaVersion),
    close: () => log.close(),
  };
}

async function run(log: EventLog): Promise<{ run: FleetRun; steps: number }> {
  let steps = 0;
  const result = await runFleet({
    profile: 'chaos',
    seed: 11,
    recordings: 4,
    durationMs: 15 * 60_000,
    observer: (context) => recwatchObserver(context, { log }),
    onStep: () => {
      steps += 1;
    },
  });
  return { run: result, steps };
}

describe('the fleet harness and a slow log', () => {
  it('gives the run a fast log gives: the clock waits for every commit', async () => {
    const fast = await run(createMemoryLog());
    const slow = await run(slowLog(200));
    expect(slow.steps).toBe(fast.steps);
    expect(slow.run.deliveries.length).toBe(fast.run.deliveries.length);
    expect(slow.run.requests.length).toBe(fast.run.requests.length);
    expect(slow.run.timelines).toEqual(fast.run.timelines);
    expect(slow.run.score).toEqual(fast.run.score);
  }, 120_000);
});

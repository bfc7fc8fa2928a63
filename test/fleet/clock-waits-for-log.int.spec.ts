// The fleet harness moves the simulated clock only once recwatch is done with what the last
// step gave it: a commit of its log outlasts many turns of the event loop (SQLite commits on a
// thread of their own), and the simulator sees none of it. A log slow by turns, not by time: no
// step of the clock may come while one of its writes is under way.
import { setImmediate } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { recwatchObserver } from '../../src/fleet/recwatch-observer.js';
import { runFleet } from '../../src/fleet/run.js';
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

describe('the fleet harness and a slow log', () => {
  it("never moves the clock while one of recwatch's commits is under way", async () => {
    let steps = 0;
    let stepsMidCommit = 0;
    const run = await runFleet({
      profile: 'chaos',
      seed: 11,
      recordings: 4,
      durationMs: 15 * 60_000,
      observer: (context) => recwatchObserver(context, { log: slowLog(200) }),
      onStep: (progress) => {
        steps += 1;
        if ((progress.observer.ownIo?.inFlight ?? 0) > 0) stepsMidCommit += 1;
      },
    });
    expect(steps).toBeGreaterThan(100);
    expect(stepsMidCommit).toBe(0);
    expect(run.score.recordings).toBe(4);
  }, 120_000);
});

// Common random numbers in the truth report: two observers of one seed and profile face the
// same recording faults at the same moments, whatever calls and restarts each makes.
import { describe, expect, it } from 'vitest';
import { runFleet } from '../../src/fleet/run.js';
import { QueryOnlyBaseline, WebhookOnlyBaseline } from '../../src/sim/baselines/index.js';

describe('one fault schedule per recording, whatever the observer does', () => {
  it('gives query-only (restarts on any 404) and webhook-only (never queries) the same faults', async () => {
    const options = {
      profile: 'failoverStorm',
      seed: 4,
      recordings: 4,
      durationMs: 30 * 60_000,
    } as const;
    const querying = await runFleet({ ...options, observer: (c) => new QueryOnlyBaseline(c) });
    const listening = await runFleet({ ...options, observer: (c) => new WebhookOnlyBaseline(c) });
    // They did act differently: query-only restarted live recordings, webhook-only did not.
    expect(querying.restarts.length).toBeGreaterThan(listening.restarts.length);
    expect(querying.faultSchedules).toEqual(listening.faultSchedules);
    let struck = 0;
    for (const run of [querying, listening]) {
      for (const session of run.truth) {
        if (session.type !== 'recording') continue;
        const schedule = run.faultSchedules[session.cname] ?? [];
        for (const fault of session.faults.filter((f) => f.id !== undefined)) {
          struck += 1;
          expect(schedule.find((f) => f.id === fault.id)?.at).toBe(fault.at);
        }
      }
    }
    expect(struck).toBeGreaterThan(0);
    // A fault that found a recorder recording in both runs struck both.
    for (const [cname, schedule] of Object.entries(querying.faultSchedules)) {
      for (const fault of schedule) {
        const hit = (run: typeof querying) =>
          run.truth.some(
            (r) =>
              r.type === 'recording' &&
              r.cname === cname &&
              r.faults.some((f) => f.id === fault.id),
          );
        const recordingAt = (run: typeof querying) =>
          run.truth.some(
            (r) =>
              r.type === 'recording' &&
              r.cname === cname &&
              r.states.some(
                (s, i) =>
                  s.state === 'recording' &&
                  s.at < fault.at &&
                  (r.states[i + 1] === undefined || r.states[i + 1]!.at > fault.at),
              ),
          );
        if (recordingAt(querying) && recordingAt(listening))
          expect([cname, fault.id, hit(querying), hit(listening)]).toEqual([
            cname,
            fault.id,
            true,
            true,
          ]);
      }
    }
  }, 120_000);
});

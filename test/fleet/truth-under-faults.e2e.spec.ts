// The reduced truth-under-faults run of CI: every profile, one seed, a few recordings on a virtual
// clock, recwatch with its shipped defaults. recwatch must be right on every profile, and each
// baseline worse somewhere (otherwise the profiles would be too kind to tell them apart).
import { beforeAll, describe, expect, it } from 'vitest';
import { METRICS } from '../../src/fleet/report.js';
import { runScenarios, type ScenarioReport } from '../../src/fleet/scenarios.js';
import { PROFILE_NAMES } from '../../src/sim/index.js';

const BASELINES = ['webhookOnly', 'queryOnly', 'agoraAdvice'];

// Where `observer` is strictly worse than recwatch: `profile: metric` lines.
function worseThanRecwatch(report: ScenarioReport, observer: string): string[] {
  const found: string[] = [];
  for (const profile of PROFILE_NAMES) {
    const ours = report.rows.find((r) => r.profile === profile && r.observer === 'recwatch');
    const theirs = report.rows.find((r) => r.profile === profile && r.observer === observer);
    if (ours === undefined || theirs === undefined) continue;
    for (const metric of METRICS) {
      const a = metric.value(ours);
      const b = metric.value(theirs);
      if (metric.better === 'none' || a === null || b === null) continue;
      if (metric.better === 'lower' ? b > a : b < a) found.push(`${profile}: ${metric.label}`);
    }
  }
  return found;
}

describe('truth under faults, reduced', () => {
  let report: ScenarioReport;
  beforeAll(async () => {
    report = await runScenarios({
      profiles: PROFILE_NAMES,
      seeds: [1],
      recordings: 4,
      durationMs: 20 * 60_000,
    });
  }, 600_000);

  for (const profile of PROFILE_NAMES) {
    it(`recwatch is right on ${profile}`, () => {
      const ours = report.rows.find((r) => r.profile === profile && r.observer === 'recwatch');
      expect(ours).toMatchObject({
        finalAccuracy: 1,
        spuriousRestarts: 0,
        missedRestarts: 0,
        doubleRecordings: 0,
      });
    });
  }

  it('each baseline is worse than recwatch somewhere', () => {
    for (const baseline of BASELINES) {
      expect(worseThanRecwatch(report, baseline), baseline).not.toEqual([]);
    }
  });
});

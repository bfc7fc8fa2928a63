// The reduced truth-under-faults run of CI: every profile, one seed, a few recordings on a virtual
// clock. recwatch must be right on every profile, and each baseline worse somewhere (otherwise
// the profiles would be too kind to tell them apart).
import { describe, expect, it } from 'vitest';
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
  it('recwatch is right on every profile; each baseline is worse somewhere', async () => {
    const report = await runScenarios({
      profiles: PROFILE_NAMES,
      seeds: [1],
      recordings: 4,
      durationMs: 20 * 60_000,
    });
    for (const profile of PROFILE_NAMES) {
      const ours = report.rows.find((r) => r.profile === profile && r.observer === 'recwatch');
      expect(ours, profile).toMatchObject({
        finalAccuracy: 1,
        spuriousRestarts: 0,
        doubleRecordings: 0,
      });
    }
    for (const baseline of BASELINES) {
      expect(worseThanRecwatch(report, baseline), baseline).not.toEqual([]);
    }
  }, 600_000);
});

// The chaos suite's reduced form (the full one: `npm run chaos`): hosts killed with -9 at random
// points, paused past their lease and continued, PostgreSQL restarted and its connections cut,
// Agora's answers replaced by redirects and huge bodies; then the five figures, each 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type PostgresCluster,
  postgresBinaries,
  startPostgresCluster,
} from '../fixtures/postgres-cluster.js';
import { tempDir } from '../fixtures/temp-dir.js';
import { type RunReport, runChaos } from './driver.js';
import { CI_POSTGRES, CI_SQLITE } from './settings.js';

const work = tempDir('recwatch-chaos-');
afterAll(() => work.remove());

/** Every figure 0; on failure the message holds the whole report (seed, findings, exits). */
function expectNothingBroken(report: RunReport): void {
  expect(report.figures, JSON.stringify(report, null, 2)).toEqual({
    acknowledgedLost: 0,
    appliedTwice: 0,
    twoLiveSessions: 0,
    callsWithoutLease: 0,
    crashes: 0,
  });
}

describe('chaos on one SQLite host', () => {
  it('loses nothing acknowledged, applies nothing twice, never runs two recorders, never crashes', async () => {
    const report = await runChaos(CI_SQLITE, 23, { dir: work.path });
    expectNothingBroken(report);
    // The faults did happen, and work went through them.
    expect(report.faults.kills).toBe(CI_SQLITE.kills);
    expect(report.traffic.webhooksAcknowledged).toBeGreaterThan(20);
    expect(report.traffic.calls).toBeGreaterThan(10);
  }, 120_000);
});

const withPostgres = postgresBinaries() !== null || process.env.CI !== undefined;
describe.runIf(withPostgres)('chaos on three hosts sharing PostgreSQL', () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    // A cluster of its own: the run restarts it, which the other tests' cluster must not see.
    cluster = await startPostgresCluster({ crashSafe: true });
  });
  afterAll(() => cluster?.stop());

  it('loses nothing acknowledged, applies nothing twice, never runs two recorders, calls only under a lease, never crashes', async () => {
    const report = await runChaos(CI_POSTGRES, 23, { dir: work.path, postgres: cluster });
    expectNothingBroken(report);
    expect(report.faults.kills).toBe(CI_POSTGRES.kills);
    expect(report.faults.zombies).toBe(CI_POSTGRES.zombies);
    expect(report.faults.postgresRestarts.fast + report.faults.postgresRestarts.immediate).toBe(
      CI_POSTGRES.postgresRestarts,
    );
    expect(report.faults.connectionsCut).toBeGreaterThan(0);
    expect(report.traffic.webhooksAcknowledged).toBeGreaterThan(20);
    expect(report.traffic.calls).toBeGreaterThan(10);
  }, 240_000);
});

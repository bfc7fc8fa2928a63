// `npm run chaos`: the full chaos suite, run after run, with a JSON report.
// Usage: npm run chaos -- [--runs N] [--seed S] [--store postgres|sqlite|both] [--size full|ci]
//        [--out chaos-report.json]
// Run k uses seed S + k; with --store both, runs alternate PostgreSQL (even k) and SQLite (odd k).
// Exits 1 when any figure of any run is not 0.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type PostgresCluster, startPostgresCluster } from '../fixtures/postgres-cluster.js';
import { type RunReport, runChaos } from './driver.js';
import type { Figures } from './measure.js';
import type { ChaosSettings } from './plan.js';
import { CI_POSTGRES, CI_SQLITE, FULL_POSTGRES, FULL_SQLITE } from './settings.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    seed: { type: 'string', default: '1' },
    store: { type: 'string', default: 'both' },
    size: { type: 'string', default: 'full' },
    out: { type: 'string', default: 'chaos-report.json' },
  },
});
const runs = Number(values.runs);
const firstSeed = Number(values.seed);
if (!Number.isSafeInteger(runs) || runs < 1) throw new Error('--runs takes a whole number >= 1');
if (!Number.isSafeInteger(firstSeed)) throw new Error('--seed takes a whole number');
if (!['postgres', 'sqlite', 'both'].includes(values.store))
  throw new Error('--store takes postgres, sqlite or both');
if (!['full', 'ci'].includes(values.size)) throw new Error('--size takes full or ci');
const sizes = values.size === 'ci' ? [CI_POSTGRES, CI_SQLITE] : [FULL_POSTGRES, FULL_SQLITE];
const settingsOf = (run: number): ChaosSettings => {
  if (values.store === 'postgres') return sizes[0] as ChaosSettings;
  if (values.store === 'sqlite') return sizes[1] as ChaosSettings;
  return sizes[run % 2] as ChaosSettings;
};

const dir = mkdtempSync(join(tmpdir(), 'recwatch-chaos-'));
let cluster: PostgresCluster | undefined;
const reports: RunReport[] = [];
const began = Date.now();
const write = () => {
  const totals = {
    runs: reports.length,
    figures: sum(reports.map((r) => r.figures)),
    kills: total(reports, (r) => r.faults.kills),
    zombies: total(reports, (r) => r.faults.zombies),
    postgresRestarts: total(
      reports,
      (r) => r.faults.postgresRestarts.fast + r.faults.postgresRestarts.immediate,
    ),
    connectionsCut: total(reports, (r) => r.faults.connectionsCut),
    edgeFaults: total(reports, (r) => Object.values(r.faults.edge).reduce((a, b) => a + b, 0)),
    webhookAttempts: total(reports, (r) => r.traffic.webhookAttempts),
    webhooksAcknowledged: total(reports, (r) => r.traffic.webhooksAcknowledged),
    commandsAcknowledged: total(reports, (r) => r.traffic.commandsAcknowledged),
    calls: total(reports, (r) => r.traffic.calls),
    sessions: total(reports, (r) => r.traffic.sessions),
    realMs: Date.now() - began,
  };
  writeFileSync(values.out, `${JSON.stringify({ totals, runs: reports }, null, 2)}\n`);
  return totals;
};
try {
  for (let run = 0; run < runs; run += 1) {
    const settings = settingsOf(run);
    if (settings.store === 'postgres') cluster ??= await startPostgresCluster({ crashSafe: true });
    const seed = firstSeed + run;
    const report = await runChaos(settings, seed, {
      dir,
      ...(cluster !== undefined && { postgres: cluster }),
    });
    reports.push(report);
    write();
    const f = report.figures;
    console.log(
      `run ${run + 1}/${runs} seed ${seed} ${report.store}: lost ${f.acknowledgedLost}, twice ${f.appliedTwice}, ` +
        `two live ${f.twoLiveSessions}, no lease ${f.callsWithoutLease}, crashes ${f.crashes} ` +
        `(kills ${report.faults.kills}, zombies ${report.faults.zombies}, pg restarts ` +
        `${report.faults.postgresRestarts.fast + report.faults.postgresRestarts.immediate}, cut ` +
        `${report.faults.connectionsCut}, edge ${Object.values(report.faults.edge).reduce((a, b) => a + b, 0)}, ` +
        `webhooks ${report.traffic.webhooksAcknowledged}/${report.traffic.webhookAttempts}, ` +
        `${Math.round(report.realMs / 1000)} s)`,
    );
  }
} finally {
  cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
}
const totals = write();
console.log(`report: ${values.out}; totals ${JSON.stringify(totals.figures)}`);
if (Object.values(totals.figures).some((n) => n !== 0)) process.exitCode = 1;

function sum(list: readonly Figures[]): Figures {
  const zero: Figures = {
    acknowledgedLost: 0,
    appliedTwice: 0,
    twoLiveSessions: 0,
    callsWithoutLease: 0,
    crashes: 0,
  };
  return list.reduce(
    (a, b) =>
      Object.fromEntries(
        Object.keys(zero).map((k) => [k, a[k as keyof Figures] + b[k as keyof Figures]]),
      ) as unknown as Figures,
    zero,
  );
}

function total(list: readonly RunReport[], of: (report: RunReport) => number): number {
  return list.reduce((n, report) => n + of(report), 0);
}

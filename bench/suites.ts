// The suites of `npm run bench`, in the order they run. Adding a suite is one line here: a name,
// the rows it reports (what `--only` matches), and a function returning its rows.
import { runCoreBench } from './core.bench.js';
import { runDemoBench } from './demo.bench.js';
import { runMemorySuite, runPostgresSuite } from './foreign-rows.js';
import { runIngestBench } from './ingest.bench.js';
import { runInspectorReadersRow } from './inspector-readers.bench.js';
import { runLogBench } from './log.bench.js';
import { runRebuildBench } from './rebuild.bench.js';
import type { SuiteContext, SuiteResult } from './row.js';
import { runScalingBench } from './scaling.bench.js';
import { runSchedulerBench } from './scheduler.bench.js';
import { runServeBench } from './serve.bench.js';
import { runSnapshotStoreBench } from './snapshot-store.bench.js';
import { runSupervisorBench } from './supervisor.bench.js';
import { runTelemetryBench } from './telemetry.bench.js';
import { runWebhookBench } from './webhook.bench.js';
import { runWebhookAttackRow } from './webhook-attack.bench.js';

/** One suite of the registry. */
export interface Suite {
  readonly name: string;
  /** The rows it reports, so `--only <row>` finds its suite. */
  readonly rows: readonly string[];
  readonly run: (context: SuiteContext) => Promise<SuiteResult>;
}

/** A suite that reports figures without targets (kept whole under `details`). */
const figuresOnly =
  (run: () => Promise<Record<string, unknown>>) => async (): Promise<SuiteResult> => ({
    rows: [],
    details: await run(),
  });

/** Every suite, in the order a full run takes them. */
export const SUITES: readonly Suite[] = [
  {
    name: 'core',
    rows: [
      'core',
      'core-vs-cpu-bound',
      'core-vs-xstate-fold',
      'core-vs-enqueue-actors',
      'replay',
      'replay-vs-xstate-fold',
      'replay-vs-enqueue-actors',
    ],
    run: runCoreBench,
  },
  { name: 'scaling', rows: ['scaling'], run: runScalingBench },
  {
    name: 'webhook',
    rows: ['webhook-latency', 'webhook-latency-autocannon', 'webhook-throughput'],
    run: runWebhookBench,
  },
  {
    name: 'edges',
    rows: ['webhook-under-attack', 'inspector-stalled-readers'],
    run: async (context) => ({
      rows: [await runWebhookAttackRow(context), await runInspectorReadersRow(context)],
    }),
  },
  { name: 'serve', rows: ['serve-api-latency', 'serve-sse-fanout'], run: runServeBench },
  { name: 'scheduler', rows: ['scheduler'], run: runSchedulerBench },
  {
    name: 'ingest',
    rows: ['ingest-sqlite', 'ingest-sqlite-normal', 'ingest-sqlite-vs-cpu-bound'],
    run: runIngestBench,
  },
  {
    name: 'snapshot-store',
    rows: ['snapshot-sqlite-loop', 'snapshot-postgres-loop'],
    run: runSnapshotStoreBench,
  },
  { name: 'rebuild', rows: ['rebuild'], run: runRebuildBench },
  { name: 'demo', rows: ['demo', 'demo-commits'], run: runDemoBench },
  { name: 'log', rows: [], run: figuresOnly(runLogBench) },
  { name: 'supervisor', rows: [], run: figuresOnly(runSupervisorBench) },
  {
    name: 'telemetry',
    rows: [],
    run: async (context) => ({ rows: [], details: await runTelemetryBench(context) }),
  },
  { name: 'memory', rows: ['memory', 'memory-pure-step'], run: runMemorySuite },
  { name: 'postgres', rows: ['ingest-postgres'], run: runPostgresSuite },
];

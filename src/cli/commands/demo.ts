// `recwatch demo`: the simulator under chaos and a supervisor in this process, a live view while
// it runs, then every recording's truth against recwatch's picture and the run's score.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { picture } from '../../core/index.js';
import { countEvent, DecisionTap, emptyCounts } from '../../demo/counters.js';
import { type DemoOptions, DemoUsageError, parseDemoArgs } from '../../demo/options.js';
import { RecentChanges } from '../../demo/recent.js';
import {
  coverageLines,
  RECORDINGS_CAPTION,
  recordingsTable,
  scoreLines,
} from '../../demo/summary.js';
import { clockText, createView, type DemoFrame } from '../../demo/view.js';
import { coverageScore } from '../../fleet/coverage.js';
import { recwatchObserver } from '../../fleet/recwatch-observer.js';
import { FLEET_T0, type FleetRun, runFleet } from '../../fleet/run.js';
import { type LiveInspector, startLiveInspector } from '../../inspect/live.js';
import { openSqliteLog } from '../../log/index.js';
import type { Supervisor } from '../../runtime/index.js';
import { UsageError } from '../errors.js';
import type { CliIo } from '../run.js';
import { DEMO_USAGE } from '../usage.js';

// What the log's durability means, in the line that names the log (docs/operations.md).
const DURABILITY_MEANS = {
  full: 'fsync at every commit: an acknowledged input survives a power loss',
  normal:
    'fsync at checkpoints only: an acknowledged input survives a crash of the process, a power loss may take the last ones; --durability full for what a host gets by default',
} as const;

/** `recwatch demo`: resolves to the exit code (0, or 64 for a usage error). */
export async function demoCommand(args: readonly string[], io: CliIo): Promise<number> {
  let options: DemoOptions;
  try {
    options = parseDemoArgs(args);
  } catch (error) {
    if (!(error instanceof DemoUsageError)) throw error;
    // One line naming the problem; `recwatch demo --help` shows the usage.
    throw new UsageError(error.message);
  }
  if (options.help) {
    io.out.write(`usage: ${DEMO_USAGE}\n`);
    return 0;
  }
  const dir = mkdtempSync(join(tmpdir(), 'recwatch-demo-'));
  const logPath = join(dir, 'recwatch.db');
  const abort = new AbortController();
  // Ctrl-C once ends the run with its summary so far; twice leaves at once.
  const onSigint = () => {
    if (abort.signal.aborted) process.exit(130);
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    return await demo(options, io, logPath, abort.signal);
  } finally {
    process.off('SIGINT', onSigint);
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
}

async function demo(
  options: DemoOptions,
  io: CliIo,
  logPath: string,
  signal: AbortSignal,
): Promise<number> {
  const out = io.out as NodeJS.WritableStream & { isTTY?: boolean };
  const live = !options.json && out.isTTY === true && process.env.CI === undefined;
  const say = (line: string) => {
    if (!options.json) io.out.write(`${line}\n`);
  };
  say(
    `recwatch demo: ${options.recordings} recordings through the '${options.profile}' faults for ${clockText(options.durationMs)} of simulated time, seed ${options.seed} (--seed to change it)`,
  );
  const log = await openSqliteLog(logPath, { durability: options.durability });
  const counts = emptyCounts();
  const recent = new RecentChanges();
  let now = () => FLEET_T0;
  // recwatch runs with the options a user gets: its shipped defaults.
  const tap = new DecisionTap(log, counts);
  const view = options.json ? undefined : createView(out, live);
  let supervisor: Supervisor | undefined;
  let inspector: LiveInspector | undefined;
  // On a terminal the page outlives the run, for reading it at leisure (until Ctrl-C).
  const hold = live && options.inspect;
  let lastDraw = 0;
  let shownUrls = false;
  const frame = (elapsedMs: number, wallMs: number): DemoFrame => {
    const states: Record<string, number> = {};
    for (const picture of supervisor?.list() ?? [])
      states[picture.state] = (states[picture.state] ?? 0) + 1;
    return {
      elapsedMs,
      durationMs: options.durationMs,
      wallMs,
      states,
      counts,
      recent: recent.list(),
    };
  };
  const wallStart = performance.now();
  let run: FleetRun;
  try {
    run = await runFleet({
      profile: options.profile,
      seed: options.seed,
      recordings: options.recordings,
      durationMs: options.durationMs,
      ...(options.speed === undefined ? {} : { speed: options.speed }),
      signal,
      observer: async (context) => {
        const observer = await recwatchObserver(context, {
          log,
          onEvent: (event) => {
            countEvent(counts, event);
            recent.note(event, now() - FLEET_T0);
          },
          onWebhook: () => {
            counts.webhookRequests += 1;
          },
        });
        supervisor = observer.supervisor;
        now = () => context.clock.now();
        if (options.inspect && !options.json) {
          inspector = await startLiveInspector(supervisor, {
            port: options.inspectPort,
            title: `recwatch demo: ${options.profile}, seed ${options.seed}`,
            closeWithSupervisor: !hold,
          });
          say(
            `inspector ${inspector.url}  every recording, input and decision, live (--no-inspect: none)`,
          );
        }
        return observer;
      },
      onStep: (progress) => {
        if (!shownUrls) {
          shownUrls = true;
          say(
            `simulator ${progress.simulator.baseUrl} · webhook ${progress.webhookUrl} · log ${logPath} (SQLite, durability '${log.durability}': ${DURABILITY_MEANS[log.durability ?? 'full']})`,
          );
        }
        const wall = performance.now();
        if (view === undefined || wall - lastDraw < 100) return;
        lastDraw = wall;
        void tap.catchUp();
        view.update(frame(progress.now - progress.t0, wall - wallStart));
      },
    });
    await tap.catchUp();
  } catch (error) {
    await inspector?.close();
    throw error;
  } finally {
    await log.close();
  }
  const wallMs = performance.now() - wallStart;
  const pictures = new Map((supervisor?.list() ?? []).map((p) => [p.recording, p]));
  if (options.json) {
    io.out.write(
      `${JSON.stringify({
        profile: options.profile,
        seed: options.seed,
        recordings: options.recordings,
        durationMs: options.durationMs,
        simulatedMs: run.end - run.t0,
        interrupted: run.aborted,
        wallMs: Math.round(wallMs),
        log: options.keep ? logPath : null,
        durability: options.durability,
        commits: log.stats(),
        score: run.score,
        coverage: coverageScore(run.plans, run.t0, run.end, run.truth, (id) =>
          tap.manifests.manifest(id, run.end),
        ),
        counts,
        // What the supervisor believed at the end, as `recwatch replay --json` prints a picture.
        picture: supervisor === undefined ? null : picture(supervisor.state),
      })}\n`,
    );
    return 0;
  }
  view?.done(frame(run.end - run.t0, wallMs));
  say('');
  if (run.aborted)
    say(`Interrupted at ${clockText(run.end - run.t0)} of simulated time: the summary so far.`);
  for (const line of RECORDINGS_CAPTION) say(line);
  say(recordingsTable(run.score, pictures, !live));
  say('');
  say(`Score against the simulator's ground truth (${options.profile}, seed ${options.seed}):`);
  for (const line of scoreLines(run.score)) say(`  ${line}`);
  const coverage = coverageScore(run.plans, run.t0, run.end, run.truth, (id) =>
    tap.manifests.manifest(id, run.end),
  );
  for (const line of coverageLines(coverage)) say(`  ${line}`);
  const { commits, items } = log.stats();
  say(
    `  ran in ${(wallMs / 1000).toFixed(1)} s for ${clockText(run.end - run.t0)} of simulated time; ${items} inputs logged in ${commits} commits (durability '${options.durability}')`,
  );
  say('');
  const cli =
    process.env.npm_lifecycle_event === 'start' ? 'node dist/src/cli/main.js' : 'recwatch';
  say(
    `The supervisor's log: ${logPath}${options.keep ? '' : ' (removed on exit: run with --keep to keep it)'}`,
  );
  say(`  ${cli} replay ${logPath}             every input, decision and state, replayed offline`);
  say(`  ${cli} export ${logPath} --out trace.jsonl   the trace, one input per line`);
  if (inspector !== undefined && hold && !signal.aborted) {
    say('');
    say(`The inspector stays open at ${inspector.url} : Ctrl-C to leave.`);
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
  }
  await inspector?.close();
  return 0;
}

// `recwatch demo` (what `npm start` runs) on a quiet machine and under load, where the load is
// busy-looping processes this suite starts itself (one per core, each in a session of its own),
// the sides interleaved; and the commits its log makes.
import { spawn } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { runCli } from '../src/cli/run.js';
import { judgeRatio, median, type Row, round, type SuiteContext, type SuiteResult } from './row.js';

/** What `recwatch demo --json` prints, as far as this suite reads it. */
interface DemoJson {
  readonly wallMs: number;
  readonly durability: string;
  readonly commits: { readonly commits: number; readonly appends: number; readonly items: number };
  readonly score: { readonly finalAccuracy: number };
}

/** Loaded ÷ quiet at most this (the target, issue #24), as quiet ÷ loaded at least its inverse. */
const MOST_SLOWDOWN = 2;

/** One `recwatch demo --json --no-inspect` in this process, as a user runs it. */
async function demo(args: readonly string[]): Promise<DemoJson & { readonly ms: number }> {
  let out = '';
  const sink = {
    write: (text: string) => {
      out += text;
      return true;
    },
  };
  const start = performance.now();
  const code = await runCli(['demo', '--json', '--no-inspect', ...args], { out: sink, err: sink });
  const ms = performance.now() - start;
  if (code !== 0) throw new Error(`recwatch demo exited with ${code}: ${out.slice(0, 500)}`);
  return { ...(JSON.parse(out) as DemoJson), ms };
}

// One busy loop: it ends when its parent does (it is then handed to another parent) or after
// MAX_LOAD_MS, whichever comes first, so a bench that dies never leaves it spinning.
const MAX_LOAD_MS = 15 * 60_000;
const BUSY_LOOP = `const parent = process.ppid; const end = Date.now() + ${MAX_LOAD_MS};
for (let i = 1; ; i += 1) if (i % 5e6 === 0 && (process.ppid !== parent || Date.now() > end)) process.exit(0);`;

/**
 * `count` processes that loop without end (the load), until the returned function ends them.
 * Each in a session of its own (`detached`), as another user's work is: Linux shares the CPU
 * between sessions first (autogroup), so threads of this process, or children in its session,
 * would take their share from the demo's own session and slow it down by far more than the
 * same load from elsewhere does (3x against 1.5x, measured).
 */
function busyLoops(count: number): () => Promise<void> {
  const children = Array.from({ length: count }, () =>
    spawn(process.execPath, ['-e', BUSY_LOOP], { detached: true, stdio: 'ignore' }),
  );
  return async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
  };
}

async function loaded<T>(threads: number, work: () => Promise<T>): Promise<T> {
  const stop = busyLoops(threads);
  try {
    return await work();
  } finally {
    await stop();
  }
}

/** The `demo` and `demo-commits` rows. */
export async function runDemoBench(context: SuiteContext): Promise<SuiteResult> {
  const threads = availableParallelism();
  const rounds = context.tiny ? 1 : 3;
  const base = context.tiny ? ['--recordings', '3', '--duration', '5m'] : [];
  const sides = {
    quiet: { durability: 'normal', load: false },
    loaded: { durability: 'normal', load: true },
    fullQuiet: { durability: 'full', load: false },
    fullLoaded: { durability: 'full', load: true },
  } as const;
  type Side = keyof typeof sides;
  const ms: Record<Side, number[]> = { quiet: [], loaded: [], fullQuiet: [], fullLoaded: [] };
  const runs: Partial<Record<Side, DemoJson>> = {};
  const loadBefore = loadavg()[0] as number;
  // A short warm-up: the first run in a process pays for loading and compiling.
  await demo(['--recordings', '3', '--duration', '5m']);
  const order = Object.keys(sides) as Side[];
  for (let r = 0; r < rounds; r += 1) {
    // The order rotates, so no side always follows the same one.
    for (const side of [...order.slice(r % order.length), ...order.slice(0, r % order.length)]) {
      const { durability, load } = sides[side];
      const args = [...base, '--durability', durability];
      const run = load ? await loaded(threads, () => demo(args)) : await demo(args);
      ms[side].push(run.ms);
      runs[side] = run;
    }
  }
  const loadAfter = loadavg()[0] as number;
  const median_ = (side: Side) => round(median(ms[side]));
  const ratio = round(median(ms.quiet) / median(ms.loaded));
  const fullRatio = round(median(ms.fullQuiet) / median(ms.fullLoaded));
  const commits = runs.quiet?.commits ?? { commits: 0, appends: 0, items: 0 };
  const loadNote = `${threads} busy-looping processes (one per core, each in a session of its own) started by the bench during the loaded side; 1-minute load average ${round(loadBefore)} before, ${round(loadAfter)} after`;
  const rows: Row[] = [
    {
      row: 'demo',
      what: `\`recwatch demo --json --no-inspect\` (${context.tiny ? '3 recordings, chaos, 5 simulated minutes' : 'its defaults: 50 recordings, chaos, 1 simulated hour'}; the log at durability 'normal', its default; beside it the same with 'full') under load vs on the same machine without it, ${rounds} interleaved rounds; ratio = quiet ÷ loaded (target: loaded at most ${MOST_SLOWDOWN}× quiet)`,
      figures: {
        loadedMs: median_('loaded'),
        samplesMs: ms.loaded.map((x) => round(x)),
        load: loadNote,
        fullDurability: {
          quietMs: median_('fullQuiet'),
          loadedMs: median_('fullLoaded'),
          ratio: fullRatio,
          quietSamplesMs: ms.fullQuiet.map((x) => round(x)),
          loadedSamplesMs: ms.fullLoaded.map((x) => round(x)),
        },
        finalAccuracy: runs.loaded?.score.finalAccuracy,
      },
      baseline: {
        what: 'the same demo with no load of the bench’s own',
        ms: median_('quiet'),
        samplesMs: ms.quiet.map((x) => round(x)),
      },
      ratio,
      ...judgeRatio(ratio, 1 / MOST_SLOWDOWN),
    },
    {
      row: 'demo-commits',
      what: "the demo's SQLite log: inputs, appends and group commits of one run (the same for every run of a seed: the clock waits for each commit)",
      figures: {
        items: commits.items,
        appends: commits.appends,
        commits: commits.commits,
        inputsPerCommit: commits.commits === 0 ? 0 : round(commits.items / commits.commits),
        commitsFull: runs.fullQuiet?.commits.commits,
      },
      ok: true,
    },
  ];
  return { rows };
}

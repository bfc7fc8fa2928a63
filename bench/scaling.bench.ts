// Step cost at 1k, 10k and 100k recordings, and the event loop while a host of 100k recordings
// takes its snapshots. A fleet of N recordings is built (each started, confirmed, a notification
// seen), then steady traffic is stepped: per recording and minute a query result and an
// `uploading_progress`, time passing at the rate N recordings make it (a tick each simulated
// second fires what is due: about N/60 query deadlines), so the work per input is the same at
// every N and only the fleet's size differs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHistogram, PerformanceObserver } from 'node:perf_hooks';
import { stepUntrusted } from '../src/core/index.js';
import {
  type CoreState,
  createMemoryLog,
  type EventLog,
  Journal,
  LiveCore,
  openSqliteLog,
  type TraceRecord,
} from '../src/index.js';
import { type Row, round, type SuiteContext, type SuiteResult } from './row.js';

const T0 = 1_700_000_000_000;
const MINUTE = 60_000;
/** Inputs per recording and simulated minute in steady traffic (a query result, a 33). */
const PER_MINUTE = 2;

/** The inputs that bring recording `i` up: start, started, a confirming query, a 40. */
export function upInputs(i: number, at: number): unknown[] {
  const recording = `rec-${i}`;
  const sid = sidOf(i);
  const uid = String(100_000 + (i % 1_000));
  return [
    { at, type: 'start', recording, cname: `room-${i}`, uid, mode: 'mix' },
    { at, type: 'started', recording, resourceId: `res-${i}`, sid, uid },
    queryOf(i, at),
    notificationOf(i, 0, 40, at),
  ];
}

const sidOf = (i: number) => `sid-${i.toString(16).padStart(8, '0')}-38f2c1a9d0e47b65`;

function queryOf(i: number, at: number): unknown {
  const sid = sidOf(i);
  return {
    at,
    type: 'query',
    recording: `rec-${i}`,
    sid,
    httpStatus: 200,
    body: { sid, serverResponse: { status: 5, fileList: '' } },
  };
}

function notificationOf(i: number, sequence: number, eventType: number, at: number): unknown {
  const sid = sidOf(i);
  return {
    at,
    type: 'notification',
    body: {
      noticeId: `${sid}-${sequence}`,
      productId: 3,
      eventType,
      notifyMs: at,
      payload: {
        cname: `room-${i}`,
        uid: String(100_000 + (i % 1_000)),
        sid,
        sequence,
        sendts: at,
        serviceType: 0,
        details: eventType === 33 ? { fileList: [] } : {},
      },
    },
  };
}

/**
 * Steady traffic for a fleet of `recordings`: `count` inputs from input number `from` on, each
 * for the recording a stride picks (every recording in turn, in a scattered order), a query
 * result or the recording's next 33, and a tick every simulated second.
 */
export function* traffic(recordings: number, from: number, count: number): Generator<unknown> {
  const msPerInput = MINUTE / (PER_MINUTE * recordings);
  // A stride coprime with the fleet size visits every recording once per round, scattered.
  const stride = 7_919;
  let lastTick = Math.floor((T0 + MINUTE + from * msPerInput) / 1_000);
  for (let k = from; k < from + count; k += 1) {
    const at = Math.floor(T0 + MINUTE + k * msPerInput);
    const second = Math.floor(at / 1_000);
    if (second > lastTick) {
      lastTick = second;
      yield { at: second * 1_000, type: 'tick' };
    }
    const i = (k * stride) % recordings;
    // Each recording in turn: a query result one round, its next 33 the round after.
    const round = Math.floor(k / recordings);
    yield ((round + i) & 1) === 0 ? queryOf(i, at) : notificationOf(i, 1 + round, 33, at);
  }
}

/** When recording `i` of a fleet of `recordings` comes up: all within the first 50 s. */
const upAt = (i: number, recordings: number) => T0 + Math.floor((i * 50_000) / recordings);

/**
 * The ticks a host has between the last recording coming up (second `from`, in s) and the start
 * of the steady traffic: one every simulated second, so the traffic's first tick fires one
 * second's deadlines as every later tick does. (Without them it fired the 12 s since the last
 * recording came up at once: 14,000 wakes at 100k recordings, one pause of 90–400 ms.)
 */
function* ticksUntilTraffic(from: number): Generator<{ at: number; type: 'tick' }> {
  const last = Math.floor((T0 + MINUTE) / 1_000);
  for (let second = from + 1; second <= last; second += 1)
    yield { at: second * 1_000, type: 'tick' };
}

/** A core owning a fleet of `recordings`, brought up within the first 50 s. */
export function buildFleet(recordings: number): LiveCore {
  const core = new LiveCore();
  let second = Math.floor(T0 / 1_000);
  for (let i = 0; i < recordings; i += 1) {
    const at = upAt(i, recordings);
    if (Math.floor(at / 1_000) > second) {
      second = Math.floor(at / 1_000);
      core.step({ at: second * 1_000, type: 'tick' });
    }
    for (const input of upInputs(i, at)) core.stepUntrusted(input);
  }
  for (const tick of ticksUntilTraffic(second)) core.step(tick);
  return core;
}

/** Per-input cost (µs) of stepping `count` inputs of steady traffic from `from` on. */
function timeSteps(
  step: (input: unknown) => void,
  recordings: number,
  from: number,
  count: number,
) {
  const inputs = [...traffic(recordings, from, count)];
  const start = performance.now();
  for (const input of inputs) step(input);
  return ((performance.now() - start) * 1_000) / inputs.length;
}

/** One fleet size: the owned core's and the pure step's µs per input, interleaved in rounds. */
export interface ScalingRow {
  readonly recordings: number;
  readonly liveCoreUsPerInput: number;
  readonly pureStepUsPerInput: number;
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** Measures `sizes`, each with `rounds` of `perRound` inputs per side, sides alternating. */
export function measureScaling(sizes: readonly number[], perRound: number, rounds: number) {
  const rows: ScalingRow[] = [];
  for (const recordings of sizes) {
    const core = buildFleet(recordings);
    let pure: CoreState = core.snapshot();
    // Warm-up: a round of traffic through both, so every recording has had a query and a 33.
    let next = 0;
    const warm = Math.max(perRound, PER_MINUTE * recordings);
    for (const input of traffic(recordings, next, warm)) core.stepUntrusted(input);
    next += warm;
    const live: number[] = [];
    const stepped: number[] = [];
    for (let r = 0; r < rounds; r += 1) {
      // The pure side steps the same inputs from the same state (a snapshot: never changed).
      pure = core.snapshot();
      gc();
      live.push(timeSteps((input) => core.stepUntrusted(input), recordings, next, perRound));
      gc();
      stepped.push(
        timeSteps(
          (input) => {
            pure = stepUntrusted(pure, input).state;
          },
          recordings,
          next,
          perRound,
        ),
      );
      next += perRound;
    }
    rows.push({
      recordings,
      liveCoreUsPerInput: round(median(live)),
      pureStepUsPerInput: round(median(stepped)),
    });
  }
  return rows;
}

/** The log a loop measurement runs on: the memory log, or a SQLite log file with its durability. */
export type LoopLog = 'memory' | 'sqlite-normal' | 'sqlite-full';

/** How many receives a host has under way at once (a server's requests in one turn). */
const IN_FLIGHT = 64;

async function openLoopLog(kind: LoopLog): Promise<{ log: EventLog; done: () => void }> {
  if (kind === 'memory') return { log: createMemoryLog(), done: () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'recwatch-scaling-'));
  const log = await openSqliteLog(join(dir, 'log.db'), {
    durability: kind === 'sqlite-normal' ? 'normal' : 'full',
  });
  return { log, done: () => rmSync(dir, { recursive: true, force: true }) };
}

/** One side of the loop measurement: the pauses while a snapshot is under way, or between. */
class LoopSide {
  /** The event loop's delays (ns), timed by one 1 ms interval for both sides. */
  readonly histogram = createHistogram();
  inputs = 0;
  gcMaxMs = 0;
  gcOver50 = 0;
  gcMs = 0;

  figures() {
    return {
      inputs: this.inputs,
      maxPauseMs: round(this.histogram.max / 1e6),
      p99PauseMs: round(this.histogram.percentile(99) / 1e6),
      gcMaxPauseMs: round(this.gcMaxMs),
      gcPausesOver50Ms: this.gcOver50,
      gcMs: Math.round(this.gcMs),
    };
  }
}

/**
 * The event loop of a journal on `kind` of log stepping steady traffic on a fleet of
 * `recordings`, `inputs` inputs in all, in turns: a snapshot taken (`journal.snapshot()`, written
 * in slices as the journal's policy writes it) and the traffic stepped until it is saved, then as
 * many inputs again with no snapshot under way; each side's longest pause and p99 (ms), and the
 * garbage collector's pauses. On the memory log, one input per receive, 64 per turn of the loop;
 * on a SQLite log, 64 receives under way at once, as a server's requests are, so they share a
 * commit. The memory log keeps every input on the heap (about 600,000 at 100k recordings), and
 * the collector marks them all: a host runs on a SQLite or PostgreSQL log.
 */
export async function measureLoop(recordings: number, inputs: number, kind: LoopLog = 'memory') {
  const { log, done } = await openLoopLog(kind);
  // Snapshots only when the measurement takes them.
  const journal = await Journal.open(log, { snapshotEvery: 1e9 });
  const batch: Promise<unknown>[] = [];
  const receive = async (input: unknown): Promise<void> => {
    if (kind === 'memory') {
      await journal.receive(input as TraceRecord);
      return;
    }
    batch.push(journal.receive(input as TraceRecord));
    if (batch.length >= IN_FLIGHT) await Promise.all(batch.splice(0));
  };
  // Ticks every simulated second while the fleet comes up, as a host has them: the traffic's
  // first tick then fires one second's deadlines, not those of the whole build.
  let second = Math.floor(T0 / 1_000);
  for (let i = 0; i < recordings; i += 1) {
    const at = upAt(i, recordings);
    if (Math.floor(at / 1_000) > second) {
      second = Math.floor(at / 1_000);
      await receive({ at: second * 1_000, type: 'tick' });
    }
    for (const input of upInputs(i, at)) await receive(input);
  }
  for (const tick of ticksUntilTraffic(second)) await receive(tick);
  await Promise.all(batch.splice(0));
  gc();
  const during = new LoopSide();
  const between = new LoopSide();
  let side = during;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      side.gcMaxMs = Math.max(side.gcMaxMs, entry.duration);
      side.gcMs += entry.duration;
      if (entry.duration > 50) side.gcOver50 += 1;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  // A 1 ms interval timer, as `monitorEventLoopDelay` has, each delay counted to the side then
  // under way (the histograms of `monitorEventLoopDelay` count the time disabled as a delay).
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    side.histogram.record(Math.max(1, Math.round((now - last - 1) * 1e6)));
    last = now;
  }, 1);
  const stream = traffic(recordings, 0, inputs);
  let left = true;
  // One turn of the event loop: 64 inputs, as a server receives them.
  const turn = async (): Promise<void> => {
    for (let k = 0; k < IN_FLIGHT; k += 1) {
      const next = stream.next();
      if (next.done === true) {
        left = false;
        break;
      }
      await receive(next.value);
      side.inputs += 1;
    }
    await Promise.all(batch.splice(0));
    if (kind === 'memory') await new Promise((resolve) => setImmediate(resolve));
  };
  const started = performance.now();
  let snapshots = 0;
  while (left) {
    side = during;
    let saved = false;
    const saving = journal.snapshot().then(() => {
      saved = true;
    });
    const from = during.inputs;
    while (!saved && left) await turn();
    await saving;
    snapshots += 1;
    side = between;
    const until = between.inputs + (during.inputs - from);
    while (between.inputs < until && left) await turn();
  }
  await new Promise((resolve) => setImmediate(resolve));
  clearInterval(timer);
  observer.disconnect();
  const ms = performance.now() - started;
  await journal.close();
  done();
  return {
    log: kind,
    recordings,
    inputs: during.inputs + between.inputs,
    snapshots,
    ms: Math.round(ms),
    duringSnapshot: during.figures(),
    betweenSnapshots: between.figures(),
  };
}

/** The `scaling` row: step cost at 100k ≤ 1.3× at 1k, and no loop pause > 50 ms at 100k. */
export async function runScalingBench(context: SuiteContext): Promise<SuiteResult> {
  const sizes = context.tiny ? [1_000, 5_000] : [1_000, 10_000, 100_000];
  const rows = measureScaling(sizes, context.tiny ? 5_000 : 50_000, context.tiny ? 3 : 5);
  const small = rows[0] as ScalingRow;
  const large = rows.at(-1) as ScalingRow;
  const growth = round(large.liveCoreUsPerInput / small.liveCoreUsPerInput);
  const largest = sizes.at(-1) as number;
  const loopInputs = context.tiny ? 20_000 : 200_000;
  // What a host runs (a SQLite log file), and the memory log the row measured before.
  const loop = await measureLoop(largest, loopInputs, 'sqlite-normal');
  const memoryLoop = await measureLoop(largest, loopInputs, 'memory');
  // No pause over 50 ms at any time: while a snapshot is written and between snapshots.
  const pause = Math.max(loop.duringSnapshot.maxPauseMs, loop.betweenSnapshots.maxPauseMs);
  const ok = growth <= 1.3 && pause <= 50;
  const row: Row = {
    row: 'scaling',
    what: "µs per input of steady traffic through LiveCore at each fleet size (pure step beside it), and the event loop of a journal at the largest on a SQLite log (durability 'normal'), while a snapshot is written and between snapshots, turn about (the memory log beside it, which keeps every input on the heap)",
    figures: { sizes: rows, growth, loop, memoryLoop },
    ok,
    target: {
      kind: 'atMost',
      value: 1.3,
      of: 'step cost at the largest fleet ÷ at 1k (and a loop pause ≤ 50 ms on the SQLite log)',
    },
    ...(ok
      ? {}
      : {
          miss: `growth ${growth} (≤ 1.3), longest loop pause ${pause} ms on the SQLite log (≤ 50; ${loop.duringSnapshot.maxPauseMs} ms while a snapshot is written, ${loop.betweenSnapshots.maxPauseMs} ms between)`,
        }),
  };
  return { rows: [row] };
}

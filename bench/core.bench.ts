// The core's speed on the hot path, against baselines measured in the same run: the full pipeline
// a competent user would build around XState (fed the same raw records), the CPU bound (parsing
// the lines and stepping the compiled machine on clean events), and the XState baselines fed the
// clean events (the former rows, kept so the history reads).
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createRecording,
  nextWake,
  type RecordingEvent,
  type RecordingSnapshot,
  stepRecording,
} from '../machines/index.js';
import { runCli } from '../src/cli/run.js';
import { openReplaySource } from '../src/cli/sources.js';
import {
  type CoreOutput,
  createCore,
  LiveCore,
  readTrace,
  readTraceLine,
  replayUntrusted,
  stepUntrusted,
  writeTrace,
} from '../src/core/index.js';
import { toRecordingEvent, toRecordingNotification } from '../src/core/machine-events.js';
import { MAX_TICK_ROUNDS } from '../src/core/step.js';
import { normalizeInput } from '../src/signals/index.js';
import { fleetTrace, type TraceInput } from '../test/fixtures/scenario.js';
import { competentPipeline, differingFinals, runCompetentPipeline } from './competent-pipeline.js';
import {
  interleave,
  judgeRatio,
  type Row,
  round,
  type SuiteContext,
  type SuiteResult,
} from './row.js';
import {
  type Delivery,
  runEnqueueActors,
  runPlainActors,
  runScopedFold,
  XSTATE_BASELINES,
  type XStateBaseline,
} from './xstate-baselines.js';

const RECORDINGS = 1_000;
const FAULTS = { duplicate: 0.05, delay: 0.05, maxDelayMs: 1_900, loss: 0 };
const INPUTS_PER_RECORDING_MINUTE = 3;

/**
 * A fleet's trace as Agora's traffic looks: per recording and minute, a query result, an
 * uploading_progress (33), a stream-state change (43/44), and the shell's ticks; one failover in
 * each recording. About 3 inputs per recording-minute.
 */
export function workload(
  minutes: number,
  seed: number,
  chatterPerMinute = 1,
  recordings = RECORDINGS,
): TraceInput[] {
  const script = {
    minutes,
    failovers: 1,
    ending: 'none',
    restartReports: false,
    chatterPerMinute,
  } as const;
  return fleetTrace(recordings, script, FAULTS, seed);
}

/**
 * Runs the core once and keeps, in order, the clean events its machines received: the inputs
 * that reached a machine, and a tick for each recording each time one of its deadlines came due.
 */
export function deliveries(trace: readonly unknown[]): Delivery[] {
  const events: (Delivery | { kind: 'clock'; at: number })[] = [];
  const signals = trace.map((input) => normalizeInput(input));
  replayUntrusted(trace, {
    onOutput: (output: CoreOutput) => {
      if (output.kind !== 'decision') return;
      const signal = signals[output.position - 1];
      if (signal === undefined || !signal.ok) return;
      const value = signal.value;
      if (value.type === 'tick') {
        events.push({ kind: 'clock', at: value.at });
        return;
      }
      const reached =
        output.decision === 'applied' ||
        output.decision === 'late' ||
        output.decision === 'releasedAfterGap';
      if (!reached || output.recording === undefined) return;
      const event: RecordingEvent =
        value.type === 'notification'
          ? {
              type: 'notification',
              at: output.at,
              notification: toRecordingNotification(value.notification),
            }
          : toRecordingEvent(value as Parameters<typeof toRecordingEvent>[0]);
      events.push({ kind: 'event', recording: output.recording, event });
    },
  });
  // Expand each clock tick into the ticks the due recordings get (found here, untimed).
  const snapshots = new Map<string, RecordingSnapshot>();
  const out: Delivery[] = [];
  let names: string[] = [];
  const deliver = (recording: string, event: RecordingEvent) => {
    const current = snapshots.get(recording) ?? createRecording({ recording });
    snapshots.set(recording, stepRecording(current, event).snapshot);
    out.push({ kind: 'event', recording, event });
  };
  for (const item of events) {
    if (item.kind === 'event') {
      deliver(item.recording, item.event);
      continue;
    }
    // The recordings in name order, sorted again only when one appeared (not on every tick).
    if (names.length !== snapshots.size) names = [...snapshots.keys()].sort();
    for (const recording of names) {
      let current = snapshots.get(recording) as RecordingSnapshot;
      for (let round = 0; round < MAX_TICK_ROUNDS; round += 1) {
        const wake = current.status === 'active' ? nextWake(current.context.deadlines) : null;
        if (wake === null || wake > item.at) break;
        deliver(recording, { type: 'tick', at: item.at });
        current = snapshots.get(recording) as RecordingSnapshot;
      }
    }
  }
  return out;
}

/** The compiled fast path alone (stepRecording), for the machine's share of the core's time. */
function runFastPath(plan: readonly Delivery[]): number {
  const snapshots = new Map<string, RecordingSnapshot>();
  for (const { recording, event } of plan) {
    const current = snapshots.get(recording) ?? createRecording({ recording });
    snapshots.set(recording, stepRecording(current, event).snapshot);
  }
  return snapshots.size;
}

function runCore(trace: readonly unknown[]): number {
  let state = createCore();
  let outputs = 0;
  for (const input of trace) {
    const result = stepUntrusted(state, input);
    state = result.state;
    outputs += result.outputs.length;
  }
  return outputs;
}

/** The owned core (what the journal steps through): a fresh `LiveCore` over the trace. */
function runLiveCore(trace: readonly unknown[]): LiveCore {
  const core = new LiveCore();
  for (const input of trace) core.stepUntrusted(input);
  return core;
}

/**
 * The CPU bound of the core's work: each line of the trace parsed (JSON.parse), and the compiled
 * machine stepped on the clean events, each recording's snapshot found by a hash lookup.
 */
function runCpuBound(lines: readonly string[], plan: readonly Delivery[]): number {
  let parsed = 0;
  for (const line of lines) if (JSON.parse(line) !== null) parsed += 1;
  return parsed + runFastPath(plan);
}

/** The competent pipeline reading the file as `recwatch replay` reads it (streamed, JSON.parse). */
async function pipelineReadingFile(path: string): Promise<number> {
  const pipeline = competentPipeline();
  for await (const text of openTraceLines(path)) {
    if (text.trim() === '' || text.startsWith('#')) continue;
    pipeline.input(JSON.parse(text));
  }
  return pipeline.finals().size;
}

/** The pipeline must reach the core's final states, or the race is not fair. */
function checkPipelineAgrees(trace: readonly unknown[]): void {
  const core = runLiveCore(trace).snapshot();
  const expected = [...core.recordings.entries()].map(
    ([id, entry]) => [id, entry.snapshot] as [string, RecordingSnapshot],
  );
  const differing = differingFinals(runCompetentPipeline(trace), expected);
  if (differing.length > 0)
    throw new Error(
      `the competent pipeline ends ${differing.length} recordings elsewhere than the core (${differing.slice(0, 3).join(', ')})`,
    );
}

/**
 * `recwatch replay <file> --json`, as a user runs it: the file streamed line by line, each line
 * read and validated, folded by a quiet `Replay`, the picture written (here, to nowhere).
 */
async function replayCommandLine(path: string): Promise<number> {
  let written = 0;
  const sink = { write: (text: string) => (written += text.length) };
  const code = await runCli(['replay', path, '--json'], { out: sink, err: sink });
  if (code !== 0) throw new Error(`recwatch replay exited with ${code}`);
  return written;
}

/** Reading and parsing a trace file alone, the way `recwatch replay` reads it. */
async function readTraceFile(path: string): Promise<number> {
  let records = 0;
  let line = 0;
  for await (const text of openTraceLines(path)) {
    line += 1;
    const read = readTraceLine(text, line);
    if (read !== null && 'kind' in read) records += 1;
  }
  return records;
}

function openTraceLines(path: string): AsyncIterable<string> {
  const source = openReplaySource(path, () => {
    throw new Error('no stdin here');
  });
  if (source.kind !== 'trace') throw new Error(`${path} is not a trace`);
  return source.lines;
}

/** A workload written as `recwatch replay` reads it: a JSONL trace file (removed by `remove`). */
function traceFile(inputs: readonly TraceInput[]): { path: string; bytes: number; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'recwatch-bench-'));
  const path = join(dir, 'trace.jsonl');
  writeFileSync(path, writeTrace(inputs));
  return {
    path,
    bytes: statSync(path).size,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The records of a trace file, read and parsed as `recwatch replay` does: fresh objects, file order. */
function readRecords(path: string): unknown[] {
  const { records } = readTrace(readFileSync(path, 'utf8'));
  return records.map((line) => {
    if (line.kind !== 'input') throw new Error(`the workload has a reject at line ${line.line}`);
    return line.record;
  });
}

/** Median of `runs` timings (ms) of `work`, after one warm-up run, each after a `gc()`. */
export function time(work: () => unknown, runs: number): number {
  work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    (globalThis as { gc?: () => void }).gc?.();
    const start = performance.now();
    work();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] as number;
}

const perSecond = (count: number, ms: number) => Math.round((count / ms) * 1000);

/** The XState baselines' medians, and the strongest (fastest) of them. */
function strongest(ms: Record<XStateBaseline, number>): { name: XStateBaseline; ms: number } {
  const names = Object.keys(XSTATE_BASELINES) as XStateBaseline[];
  const name = names.reduce((best, next) => (ms[next] < ms[best] ? next : best));
  return { name, ms: ms[name] };
}

/** Every baseline must reach the states the shipped machine reaches, or the race is not fair. */
function checkBaselinesAgree(plan: readonly Delivery[]): void {
  const expected = new Map<string, RecordingSnapshot>();
  for (const { recording, event } of plan) {
    const current = expected.get(recording) ?? createRecording({ recording });
    expected.set(recording, stepRecording(current, event).snapshot);
  }
  const counts = [runEnqueueActors(plan), runPlainActors(plan), runScopedFold(plan)];
  if (counts.some((count) => count !== expected.size)) {
    throw new Error(
      `the XState baselines saw ${counts.join('/')} recordings, not ${expected.size}`,
    );
  }
}

/**
 * The core and replay rows (`core`, `core-vs-enqueue-actors`, `replay`, `replay-vs-enqueue-actors`):
 * each side's samples interleaved in one process, every side after the same gc().
 */
export async function runCoreBench(context: SuiteContext): Promise<SuiteResult> {
  const tiny = context.tiny;
  const begun = performance.now();
  const rounds = tiny ? 1 : 5;
  // Throughput: 1,000 recordings, 5% duplicates, 5% reordered within the hold time.
  const small = traceFile(workload(tiny ? 2 : 15, 11, 1, tiny ? 50 : RECORDINGS));
  const trace = readRecords(small.path);
  const lines = readFileSync(small.path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'));
  small.remove();
  const plan = deliveries(trace);
  checkBaselinesAgree(plan);
  checkPipelineAgrees(trace);
  const ms = await interleave(
    {
      core: () => runLiveCore(trace),
      pipeline: () => runCompetentPipeline(trace),
      cpuBound: () => runCpuBound(lines, plan),
      pureStep: () => runCore(trace),
      plainAssignActors: () => runPlainActors(plan),
      scopedTransitionFold: () => runScopedFold(plan),
      enqueueActors: () => runEnqueueActors(plan),
      fastPath: () => runFastPath(plan),
    },
    rounds,
  );
  const best = strongest(ms);

  // Replay: a trace file of about a million inputs, read and replayed, against the baselines fed
  // its clean events from memory (they are given the parsed, cleaned events for free).
  const target = tiny ? 3_000 : 1_000_000;
  const recordings = tiny ? 50 : RECORDINGS;
  const big = traceFile(
    workload(Math.ceil(target / (recordings * INPUTS_PER_RECORDING_MINUTE)), 12, 1, recordings),
  );
  const bigRecords = readRecords(big.path);
  const bigInputs = bigRecords.length;
  const bigPlan = deliveries(bigRecords);
  bigRecords.length = 0;
  // Reading and parsing alone, as `recwatch replay` does it, for the figures (not raced).
  (globalThis as { gc?: () => void }).gc?.();
  const readStart = performance.now();
  await readTraceFile(big.path);
  const readMs = performance.now() - readStart;
  process.stderr.write(
    `  core: replay workload ready (${bigPlan.length} machine events) after ${round((performance.now() - begun) / 1000, 1)} s\n`,
  );
  // The million-event race takes the strongest baseline of the core workload, and the former
  // one for its second row: a third side would add minutes and has never been the strongest.
  const raced = best.name === 'enqueueActors' ? 'plainAssignActors' : best.name;
  const bigSides: Record<string, () => unknown> = {
    replay: () => replayCommandLine(big.path),
    pipeline: () => pipelineReadingFile(big.path),
    [raced]: () => XSTATE_BASELINES[raced].run(bigPlan),
    enqueueActors: () => runEnqueueActors(bigPlan),
  };
  const bigTimes = await interleave(bigSides, tiny ? 1 : 3, false);
  const bigMs = {
    ...bigTimes,
    replay: bigTimes.replay as number,
    pipeline: bigTimes.pipeline as number,
    enqueueActors: bigTimes.enqueueActors as number,
  };
  big.remove();
  const bigBest = { name: raced, ms: bigTimes[raced] as number };

  const baselines = (times: Record<string, number>, events: number) =>
    Object.fromEntries(
      (Object.keys(XSTATE_BASELINES) as XStateBaseline[])
        .filter((name) => times[name] !== undefined)
        .map((name) => [
          name,
          {
            what: XSTATE_BASELINES[name].what,
            ms: round(times[name] as number),
            eventsPerSecond: perSecond(events, times[name] as number),
          },
        ]),
    );
  const coreFigures = {
    recordings,
    inputs: trace.length,
    machineEvents: plan.length,
    duplicates: FAULTS.duplicate,
    reordered: FAULTS.delay,
    ms: round(ms.core),
    usPerInput: round((ms.core * 1000) / trace.length),
    inputsPerSecond: perSecond(trace.length, ms.core),
    pureStepMs: round(ms.pureStep),
    pureStepUsPerInput: round((ms.pureStep * 1000) / trace.length),
    machineFastPathMs: round(ms.fastPath),
  };
  const coreRatio = round(best.ms / ms.core);
  const pipelineRatio = round(ms.pipeline / ms.core);
  const boundRatio = round(ms.cpuBound / ms.core);
  const enqueueRatio = round(ms.enqueueActors / ms.core);
  const replayFigures = {
    recordings,
    inputs: bigInputs,
    machineEvents: bigPlan.length,
    traceFileMB: round(big.bytes / 1e6, 1),
    ms: round(bigMs.replay),
    readAndParseMs: round(readMs),
    inputsPerSecond: perSecond(bigInputs, bigMs.replay),
  };
  const replayRatio = round(bigBest.ms / bigMs.replay);
  const replayPipelineRatio = round(bigMs.pipeline / bigMs.replay);
  const replayEnqueueRatio = round(bigMs.enqueueActors / bigMs.replay);
  const rows: Row[] = [
    {
      row: 'core',
      what: 'the owned core (LiveCore, as the journal steps) per input (normalize, dedupe, reorder, route, machine) vs the full pipeline a competent user builds around XState, fed the same records (zod parse, Map dedupe, reorder buffer, routing by sid, one actor per recording; the same final states checked)',
      figures: coreFigures,
      baseline: {
        what: 'competent pipeline: zod parse of each notification, Map dedupe by noticeId, a reorder buffer per recorder stream, routing by sid, one plain-assign XState actor per recording, ticks to the due recordings',
        ms: round(ms.pipeline),
        usPerInput: round((ms.pipeline * 1000) / trace.length),
      },
      ratio: pipelineRatio,
      ...judgeRatio(pipelineRatio, 2),
    },
    {
      row: 'core-vs-cpu-bound',
      what: 'the same core figure vs the CPU bound: JSON.parse of every trace line, plus the compiled machine stepped on the clean events with a hash lookup per event (target: the core within 2.5× of it)',
      figures: coreFigures,
      baseline: {
        what: 'JSON.parse of each line + Map lookup + compiled machine (stepRecording) on the clean events',
        ms: round(ms.cpuBound),
        usPerInput: round((ms.cpuBound * 1000) / trace.length),
      },
      ratio: boundRatio,
      ...judgeRatio(boundRatio, 0.4),
    },
    {
      row: 'core-vs-xstate-fold',
      what: 'the former core row: step() per input vs the strongest XState baseline fed the clean events (the core now steps through LiveCore)',
      figures: coreFigures,
      baseline: {
        what: `strongest XState baseline: ${best.name} (${XSTATE_BASELINES[best.name].what})`,
        ms: round(best.ms),
        eventsPerSecond: perSecond(plan.length, best.ms),
        all: baselines(ms, plan.length),
      },
      ratio: coreRatio,
      ok: true,
    },
    {
      row: 'core-vs-enqueue-actors',
      what: 'the same core figure vs the shipped machine as live actors (the former baseline)',
      figures: coreFigures,
      baseline: {
        what: XSTATE_BASELINES.enqueueActors.what,
        ms: round(ms.enqueueActors),
        eventsPerSecond: perSecond(plan.length, ms.enqueueActors),
      },
      ratio: enqueueRatio,
      ok: true,
    },
    {
      row: 'replay',
      what: 'recwatch replay of a trace file, reading and parsing the file included, vs the competent pipeline reading the same file (the same streamed read, JSON.parse of each line)',
      figures: replayFigures,
      baseline: {
        what: 'competent pipeline reading the file: streamed lines, JSON.parse, then as in the core row',
        ms: round(bigMs.pipeline),
      },
      ratio: replayPipelineRatio,
      ...judgeRatio(replayPipelineRatio, 1.5),
    },
    {
      row: 'replay-vs-xstate-fold',
      what: 'the former replay row: recwatch replay of the file vs the strongest XState baseline fed its clean events from memory',
      figures: replayFigures,
      baseline: {
        what: `strongest XState baseline: ${bigBest.name} (${XSTATE_BASELINES[bigBest.name].what})`,
        ms: round(bigBest.ms),
        eventsPerSecond: perSecond(bigPlan.length, bigBest.ms),
        all: baselines(bigMs, bigPlan.length),
      },
      ratio: replayRatio,
      ok: true,
    },
    {
      row: 'replay-vs-enqueue-actors',
      what: 'the same replay figure vs the shipped machine as live actors (the former baseline)',
      figures: replayFigures,
      baseline: {
        what: XSTATE_BASELINES.enqueueActors.what,
        ms: round(bigMs.enqueueActors),
        eventsPerSecond: perSecond(bigPlan.length, bigMs.enqueueActors),
      },
      ratio: replayEnqueueRatio,
      ok: true,
    },
  ];
  return { rows };
}

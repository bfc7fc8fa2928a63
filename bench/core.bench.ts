// The core's speed on the hot path, against a baseline measured in the same run: one live XState
// actor per recording fed the same events, already clean (deduped, ordered, parsed), by send().
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AnyActorRef,
  createActor,
  initialTransition,
  type SnapshotFrom,
  transition,
} from 'xstate';
import {
  createRecording,
  nextWake,
  type RecordingEvent,
  type RecordingSnapshot,
  recordingMachine,
  stepRecording,
} from '../machines/index.js';
import {
  type CoreOutput,
  createCore,
  readTrace,
  replayUntrusted,
  stepUntrusted,
  writeTrace,
} from '../src/core/index.js';
import { toRecordingEvent, toRecordingNotification } from '../src/core/machine-events.js';
import { MAX_TICK_ROUNDS } from '../src/core/step.js';
import { normalizeInput } from '../src/signals/index.js';
import { fleetTrace, type TraceInput } from '../test/fixtures/scenario.js';

const RECORDINGS = 1_000;
const FAULTS = { duplicate: 0.05, delay: 0.05, maxDelayMs: 1_900, loss: 0 };
const INPUTS_PER_RECORDING_MINUTE = 3;

/** What the machines of a trace are fed, once the core has cleaned it: events, and clock ticks. */
interface Delivery {
  readonly kind: 'event';
  readonly recording: string;
  readonly event: RecordingEvent;
}

/**
 * A fleet's trace as Agora's traffic looks: per recording and minute, a query result, an
 * uploading_progress (33), a stream-state change (43/44), and the shell's ticks; one failover in
 * each recording. About 3 inputs per recording-minute.
 */
export function workload(minutes: number, seed: number, chatterPerMinute = 1): TraceInput[] {
  const script = {
    minutes,
    failovers: 1,
    ending: 'none',
    restartReports: false,
    chatterPerMinute,
  } as const;
  return fleetTrace(RECORDINGS, script, FAULTS, seed);
}

/**
 * Runs the core once and keeps, in order, the clean events its machines received: the inputs
 * that reached a machine, and a tick for each recording each time one of its deadlines came due.
 */
function deliveries(trace: readonly unknown[]): Delivery[] {
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
          : toRecordingEvent(value);
      events.push({ kind: 'event', recording: output.recording, event });
    },
  });
  // Expand each clock tick into the ticks the due recordings get (found here, untimed).
  const snapshots = new Map<string, RecordingSnapshot>();
  const out: Delivery[] = [];
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
    for (const [recording, snapshot] of [...snapshots].sort(([a], [b]) => (a < b ? -1 : 1))) {
      let current = snapshot;
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

/** The baseline: one live actor per recording, fed the clean events with `send`. */
function runActors(plan: readonly Delivery[]): number {
  const actors = new Map<string, AnyActorRef>();
  for (const { recording, event } of plan) {
    let actor = actors.get(recording);
    if (actor === undefined) {
      actor = createActor(recordingMachine, { input: { recording } }).start();
      actors.set(recording, actor);
    }
    actor.send(event);
  }
  return actors.size;
}

/** The naive fold: xstate's pure `transition()` per event, which builds an actor scope each call. */
function runNaive(plan: readonly Delivery[]): number {
  const snapshots = new Map<string, SnapshotFrom<typeof recordingMachine>>();
  for (const { recording, event } of plan) {
    const current =
      snapshots.get(recording) ?? initialTransition(recordingMachine, { recording })[0];
    snapshots.set(recording, transition(recordingMachine, current, event)[0]);
  }
  return snapshots.size;
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

function runReplay(trace: readonly unknown[]): number {
  return replayUntrusted(trace).state.position;
}

/**
 * The trace as `recwatch replay` gets it: written to a JSONL file and read back, so its records
 * are fresh objects in file order (as the generator's are not), and the read itself is timed.
 */
function asReadFromFile(inputs: readonly TraceInput[]): {
  records: unknown[];
  bytes: number;
  readMs: number;
} {
  const dir = mkdtempSync(join(tmpdir(), 'recwatch-bench-'));
  try {
    const path = join(dir, 'trace.jsonl');
    writeFileSync(path, writeTrace(inputs));
    const start = performance.now();
    const { records } = readTrace(readFileSync(path, 'utf8'));
    const readMs = performance.now() - start;
    return {
      records: records.map((line) => {
        if (line.kind !== 'input')
          throw new Error(`the workload has a reject at line ${line.line}`);
        return line.record;
      }),
      bytes: statSync(path).size,
      readMs,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Median of `runs` timings (ms) of `work`, after one warm-up run. */
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

const round = (n: number, digits = 2) => Number(n.toFixed(digits));

export async function runCoreBench(
  options: { replayInputs?: number } = {},
): Promise<Record<string, unknown>> {
  // Throughput: 1,000 recordings, 5% duplicates, 5% reordered within the hold time.
  const trace = asReadFromFile(workload(15, 11)).records;
  const plan = deliveries(trace);
  const events = plan.length;
  const baselineMs = time(() => runActors(plan), 5);
  const coreMs = time(() => runCore(trace), 5);
  const naiveMs = time(() => runNaive(plan), 1);
  const fastMs = time(() => runFastPath(plan), 5);

  // Replay: a trace of about a million inputs, against the actors fed its clean events.
  const target = options.replayInputs ?? 1_000_000;
  const file = asReadFromFile(
    workload(Math.ceil(target / (RECORDINGS * INPUTS_PER_RECORDING_MINUTE)), 12),
  );
  const big = file.records;
  const bigPlan = deliveries(big);
  const bigBaselineMs = time(() => runActors(bigPlan), 2);
  const replayMs = time(() => runReplay(big), 2);

  const perSecond = (count: number, ms: number) => Math.round((count / ms) * 1000);
  return {
    workload: {
      recordings: RECORDINGS,
      duplicates: FAULTS.duplicate,
      reordered: FAULTS.delay,
      inputs: trace.length,
      machineEvents: events,
    },
    baseline: {
      what: 'live actor per recording, clean events, actor.send',
      ms: round(baselineMs),
      eventsPerSecond: perSecond(events, baselineMs),
    },
    core: {
      what: 'step(): normalize, dedupe, reorder, route, machine',
      ms: round(coreMs),
      inputsPerSecond: perSecond(trace.length, coreMs),
      ratioToBaseline: round(baselineMs / coreMs),
      target: 0.5,
    },
    machineFastPath: {
      what: 'compiled stepRecording per clean event (the machine share of the core)',
      ms: round(fastMs),
      eventsPerSecond: perSecond(events, fastMs),
      ratioToBaseline: round(baselineMs / fastMs),
    },
    naiveTransition: {
      what: 'xstate transition() per event (no core), for comparison',
      ms: round(naiveMs),
      eventsPerSecond: perSecond(events, naiveMs),
      ratioToBaseline: round(baselineMs / naiveMs),
    },
    replay: {
      inputs: big.length,
      machineEvents: bigPlan.length,
      ms: round(replayMs),
      inputsPerSecond: perSecond(big.length, replayMs),
      traceFileMB: round(file.bytes / 1e6, 1),
      readAndParseMs: round(file.readMs),
      baselineMs: round(bigBaselineMs),
      ratioToBaseline: round(bigBaselineMs / replayMs),
      target: 1,
    },
  };
}

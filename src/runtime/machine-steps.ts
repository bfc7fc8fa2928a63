// Which machine events a core step delivered to which recording, and the snapshot after each.
// The core runs machines on its compiled path and reports decisions, not events: this rebuilds
// the events from the decisions (the same mapping the core uses) and replays them on the
// recording's snapshot, so every intermediate snapshot is known and the last equals the core's.
import {
  createRecording,
  type RecordingEvent,
  type RecordingOptions,
  type RecordingSnapshot,
  stepRecording,
} from '../../machines/index.js';
import {
  type CoreState,
  type CoreStep,
  DEFAULT_CORE_OPTIONS,
  type ReceivedLine,
  toRecordingEvent,
  toRecordingNotification,
} from '../core/index.js';
import { normalizeInput, type Signal } from '../signals/index.js';

/** One machine event delivered to a recording, and its snapshot after it. */
export interface MachineStep {
  readonly event: RecordingEvent;
  readonly snapshot: RecordingSnapshot;
}

/** What one core step did to one recording's machine. */
export interface RecordingSteps {
  /** Its snapshot before (a new recording's: fresh, in `idle`). */
  readonly before: RecordingSnapshot;
  /** Each event it received, with its snapshot after, in order. */
  readonly steps: readonly MachineStep[];
}

/** Decisions under which an input reached its recording's machine. */
const REACHED = new Set(['applied', 'late', 'releasedAfterGap']);
/** Decisions after which a held input waits no more. */
const SETTLED = new Set(['applied', 'late', 'releasedAfterGap', 'stale', 'unrouted', 'rejected']);
/** Enough rounds for any tick cascade (the core's own bound is 8). */
const MAX_TICKS = 16;

/**
 * Follows a core step by step and tells, for each, the machine events each recording received.
 * Remembers held inputs until they are released, since their events come steps later.
 * @example
 * const machines = new MachineSteps();
 * const result = stepLine(state, line);
 * machines.follow(state, line, result).get('r1')?.steps; // [{ event: { type: 'start', ... }, snapshot }]
 */
export class MachineSteps {
  private readonly held = new Map<number, Signal>();

  /** @param options the recordings' options the core steps with (the core's own defaults if not given). */
  constructor(private readonly options: RecordingOptions = DEFAULT_CORE_OPTIONS.recording) {}

  /** The machine steps of one core step, by recording, in the order they happened. */
  follow(before: CoreState, line: ReceivedLine, result: CoreStep): Map<string, RecordingSteps> {
    const position = result.state.position;
    const parsed = line.kind === 'input' ? normalizeInput(line.record) : null;
    const signal = parsed?.ok ? parsed.value : null;
    const events = new Map<string, RecordingEvent[]>();
    for (const output of result.outputs) {
      if (output.kind !== 'decision') continue;
      const of = output.position === position ? signal : (this.held.get(output.position) ?? null);
      if (output.decision === 'held' && of !== null) this.held.set(output.position, of);
      else if (SETTLED.has(output.decision)) this.held.delete(output.position);
      if (!REACHED.has(output.decision) || output.recording === undefined || of === null) continue;
      const event: RecordingEvent =
        of.type === 'notification'
          ? {
              type: 'notification',
              at: output.at,
              notification: toRecordingNotification(of.notification),
            }
          : toRecordingEvent(of);
      events.set(output.recording, [...(events.get(output.recording) ?? []), event]);
    }
    const touched = new Set(events.keys());
    // A tick reaches every recording whose deadline is due: find them by what changed.
    if (signal?.type === 'tick') {
      for (const [id, entry] of result.state.recordings) {
        if (before.recordings.get(id) !== entry) touched.add(id);
      }
    }
    const steps = new Map<string, RecordingSteps>();
    for (const id of touched) {
      const after = result.state.recordings.get(id)?.snapshot;
      if (after === undefined) continue;
      const start = before.recordings.get(id)?.snapshot ?? createRecording({ recording: id });
      const replayed = replayOn(start, events.get(id) ?? [], after, signal, this.options);
      steps.set(id, { before: start, steps: replayed });
    }
    return steps;
  }
}

function replayOn(
  start: RecordingSnapshot,
  events: readonly RecordingEvent[],
  after: RecordingSnapshot,
  signal: Signal | null,
  options: RecordingOptions,
): MachineStep[] {
  const steps: MachineStep[] = [];
  let current = start;
  for (const event of events) {
    current = stepRecording(current, event, options).snapshot;
    steps.push({ event, snapshot: current });
  }
  if (signal?.type === 'tick') {
    for (let round = 0; round < MAX_TICKS && !sameSnapshot(current, after); round += 1) {
      const event: RecordingEvent = { type: 'tick', at: signal.at };
      current = stepRecording(current, event, options).snapshot;
      steps.push({ event, snapshot: current });
    }
  }
  // The core's snapshot is the truth: the last one shown is always it.
  const last = steps.at(-1);
  if (last !== undefined && last.snapshot !== after)
    steps[steps.length - 1] = { ...last, snapshot: after };
  return steps;
}

function sameSnapshot(a: RecordingSnapshot, b: RecordingSnapshot): boolean {
  return (
    a.status === b.status &&
    JSON.stringify(a.value) === JSON.stringify(b.value) &&
    JSON.stringify(a.context) === JSON.stringify(b.context)
  );
}

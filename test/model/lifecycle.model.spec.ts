// Model-based tests: xstate/graph walks the machine with realistic events; every generated path
// is replayed against the machine with the invariants checked at each step, and together the
// paths must visit every state and every transition the machine defines.

import { afterAll, describe, expect, it } from 'vitest';
import { type AnyTransitionDefinition, initialTransition } from 'xstate';
import { getShortestPaths, getSimplePaths } from 'xstate/graph';
import {
  createRecording,
  lifecycleState,
  type RecordingEvent,
  type RecordingSnapshot,
  recordingMachine,
  stepRecording,
} from '../../machines/index.js';
import { allStateIds, allTransitions } from './coverage.js';
import { eventsFor } from './events.js';
import { inspectedStep, type MachineSnapshot } from './inspected-step.js';
import { checkStep } from './invariants.js';

const input = { recording: 'r1' };

/**
 * Finite search for shortest paths: the state value plus the counters and flags that guards
 * read (failovers, restarts, back-off step, start retries, failover hints). Every one is bounded.
 */
function serializeForShortest(snapshot: MachineSnapshot): string {
  const c = snapshot.context;
  return JSON.stringify([
    snapshot.value,
    c.haAttempts,
    c.restarts,
    c.backoff,
    c.attempt?.retries ?? null,
    c.failoverHint !== null,
    c.failoverSuspected,
  ]);
}

/**
 * Simple paths (no vertex twice) grow combinatorially with the key: by top-level state they are
 * ~1.6k; adding haAttempts makes ~214k. So simple paths cover the orders in which top-level
 * states follow each other, and the shortest paths above cover the counters.
 */
function serializeForSimple(snapshot: MachineSnapshot): string {
  return lifecycleState(snapshot);
}

// The graph has ~7.4k vertices and ~240k edges; the cap turns a machine whose counters run
// away (an unbounded state space) into a quick, clear failure instead of an endless search.
const TRAVERSAL_LIMIT = 1_000_000;

const shortest = getShortestPaths(recordingMachine, {
  input,
  events: eventsFor,
  serializeState: serializeForShortest,
  limit: TRAVERSAL_LIMIT,
});
const simple = getSimplePaths(recordingMachine, {
  input,
  events: eventsFor,
  serializeState: serializeForSimple,
  limit: TRAVERSAL_LIMIT,
});

const visitedStates = new Set<string>();
const visitedTransitions = new Set<AnyTransitionDefinition>();
let transitionPaths = 0;

/** Where a path stands: the fast path's snapshot and XState's, kept side by side. */
interface Position {
  readonly snapshot: RecordingSnapshot;
  readonly machine: MachineSnapshot;
  readonly stopped: boolean;
}

/**
 * One step, checked three ways: the compiled fast path must agree with XState's interpreter
 * (state, context, outputs), the invariants must hold, and XState reports what it covered.
 */
function checkedStep(from: Position, event: RecordingEvent): Position {
  const step = stepRecording(from.snapshot, event);
  const inspected = inspectedStep(from.machine, event);
  for (const t of inspected.transitions) visitedTransitions.add(t);
  for (const node of inspected.snapshot._nodes) visitedStates.add(node.id);
  // A cheap comparison first (this runs on every generated step); toEqual judges and explains.
  if (
    JSON.stringify(step.snapshot.value) !== JSON.stringify(inspected.snapshot.value) ||
    JSON.stringify(step.snapshot.context) !== JSON.stringify(inspected.snapshot.context) ||
    JSON.stringify(step.outputs) !== JSON.stringify(inspected.outputs) ||
    step.snapshot.status !== inspected.snapshot.status
  ) {
    expect({ ...step, status: step.snapshot.status }).toEqual({
      snapshot: {
        value: inspected.snapshot.value,
        context: inspected.snapshot.context,
        status: inspected.snapshot.status,
      },
      outputs: inspected.outputs,
      status: inspected.snapshot.status,
    });
  }
  const stopped = checkStep(
    { before: from.snapshot, event, after: step.snapshot, outputs: step.outputs },
    from.stopped,
  );
  return { snapshot: step.snapshot, machine: inspected.snapshot, stopped };
}

/** Replays a path with every step checked; returns where it ends. */
function runPath(events: readonly RecordingEvent[]): Position {
  let position: Position = {
    snapshot: createRecording(input),
    machine: initialTransition(recordingMachine, input)[0],
    stopped: false,
  };
  for (const node of position.machine._nodes) visitedStates.add(node.id);
  for (const event of events) position = checkedStep(position, event);
  return position;
}

/**
 * Every one-event extension of a path: together with the shortest paths, one path through each
 * edge of the graph (the prefix is replayed once and shared).
 */
function runExtensions(end: Position): void {
  for (const event of eventsFor(end.snapshot)) {
    checkedStep(end, event);
    transitionPaths += 1;
  }
}

function eventsOf(path: { steps: readonly { event: { type: string } }[] }): RecordingEvent[] {
  return path.steps
    .map((step) => step.event)
    .filter((event): event is RecordingEvent => !event.type.startsWith('xstate.'));
}

describe('the lifecycle machine, model-based', () => {
  afterAll(() => {
    console.log(
      `model-based: ${shortest.length} shortest paths, ${transitionPaths} one-step extensions, ` +
        `${simple.length} simple paths, ` +
        `${visitedStates.size} states and ${visitedTransitions.size} transitions visited`,
    );
  });

  it('generates paths', () => {
    expect(shortest.length).toBeGreaterThan(100);
    expect(simple.length).toBeGreaterThan(10);
  });

  // About 16 s alone; beside the suite's end-to-end runs on two busy cores it took 35 s.
  it('holds the invariants on every shortest path and every one-event extension of it', () => {
    for (const path of shortest) runExtensions(runPath(eventsOf(path)));
  }, 120_000);

  it('holds the invariants on every simple path', () => {
    for (const path of simple) runPath(eventsOf(path));
  });

  it('visits every state the machine defines', () => {
    const missing = allStateIds().filter((id) => !visitedStates.has(id));
    expect(missing).toEqual([]);
  });

  it('takes every transition the machine defines', () => {
    const missing = allTransitions()
      .filter(({ definition }) => !visitedTransitions.has(definition))
      .map(({ id }) => id);
    expect(missing).toEqual([]);
  });
});

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
 * read (failovers, restarts, back-off step, start retries, failover hints, a start deadline spent
 * waiting for an answer). Every one is bounded.
 */
function serializeForShortest(snapshot: MachineSnapshot): string {
  const c = snapshot.context;
  return JSON.stringify([
    snapshot.value,
    c.failover.haAttempts,
    c.restarts,
    c.monitoring.backoff,
    c.attempt?.retries ?? null,
    c.failover.hint !== null,
    // Rule 13: whether an earlier session is left to stop (not how many). A start given up (an
    // orphan with no sid) is left out: it would double the vertices of every retried start, and
    // its one transition (orphanLife, stopOrphan) is the same as a session's.
    c.orphans.some((one) => one.sid !== null),
    // Rule 1: a start whose deadline passed unanswered waits for the first answer.
    c.session !== null && c.deadlines.startBy === null,
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

/** What a walk of some paths covered: states and transitions XState reports it took. */
interface Coverage {
  readonly states: Set<string>;
  readonly transitions: Set<AnyTransitionDefinition>;
  extensions: number;
}

const emptyCoverage = (): Coverage => ({
  states: new Set(),
  transitions: new Set(),
  extensions: 0,
});

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
function checkedStep(from: Position, event: RecordingEvent, seen: Coverage): Position {
  const step = stepRecording(from.snapshot, event);
  const inspected = inspectedStep(from.machine, event);
  for (const t of inspected.transitions) seen.transitions.add(t);
  for (const id of inspected.states) seen.states.add(id);
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
function runPath(events: readonly RecordingEvent[], seen: Coverage): Position {
  let position: Position = {
    snapshot: createRecording(input),
    machine: initialTransition(recordingMachine, input)[0],
    stopped: false,
  };
  for (const node of position.machine._nodes) seen.states.add(node.id);
  for (const event of events) position = checkedStep(position, event, seen);
  return position;
}

/**
 * Every one-event extension of a path: together with the shortest paths, one path through each
 * edge of the graph (the prefix is replayed once and shared).
 */
function runExtensions(end: Position, seen: Coverage): void {
  for (const event of eventsFor(end.snapshot)) {
    checkedStep(end, event, seen);
    seen.extensions += 1;
  }
}

function eventsOf(path: { steps: readonly { event: { type: string } }[] }): RecordingEvent[] {
  return path.steps
    .map((step) => step.event)
    .filter((event): event is RecordingEvent => !event.type.startsWith('xstate.'));
}

// The ~300k one-step extensions are split across test cases, so each case's work is a fraction
// of the whole; a walk runs once and is remembered, and every test asks for the walks it needs,
// so any test passes or fails the same when run alone. Timeouts reflect the work on a busy
// 2-core machine (a few seconds each when the machine is free).
const CHUNKS = 8;
const WALK_TIMEOUT_MS = 120_000;
const COVERAGE_TIMEOUT_MS = 600_000;
const chunkWalks = new Map<number, Coverage>();
let simpleWalk: Coverage | null = null;

/** Every shortest path of one chunk, and every one-event extension of each, checked. */
function walkChunk(chunk: number): Coverage {
  const known = chunkWalks.get(chunk);
  if (known !== undefined) return known;
  const seen = emptyCoverage();
  shortest.forEach((path, index) => {
    if (index % CHUNKS === chunk) runExtensions(runPath(eventsOf(path), seen), seen);
  });
  chunkWalks.set(chunk, seen);
  return seen;
}

/** Every simple path, checked. */
function walkSimple(): Coverage {
  if (simpleWalk !== null) return simpleWalk;
  const seen = emptyCoverage();
  for (const path of simple) runPath(eventsOf(path), seen);
  simpleWalk = seen;
  return seen;
}

/** What all walks cover together. */
function walkAll(): Coverage {
  const all = emptyCoverage();
  for (const seen of [...Array.from({ length: CHUNKS }, (_, i) => walkChunk(i)), walkSimple()]) {
    for (const state of seen.states) all.states.add(state);
    for (const transition of seen.transitions) all.transitions.add(transition);
    all.extensions += seen.extensions;
  }
  return all;
}

const chunks = Array.from({ length: CHUNKS }, (_, i) => i);

describe('the lifecycle machine, model-based', () => {
  afterAll(() => {
    const walked = [...chunkWalks.values()].reduce((sum, seen) => sum + seen.extensions, 0);
    console.log(
      `model-based: ${shortest.length} shortest paths, ${walked} one-step extensions walked, ` +
        `${simple.length} simple paths`,
    );
  });

  it('generates paths', () => {
    expect(shortest.length).toBeGreaterThan(100);
    expect(simple.length).toBeGreaterThan(10);
  });

  it.each(chunks)(
    'holds the invariants on the shortest paths of chunk %i and every one-event extension of them',
    (chunk) => {
      const seen = walkChunk(chunk);
      expect(seen.extensions).toBeGreaterThan(0);
    },
    WALK_TIMEOUT_MS,
  );

  it(
    'holds the invariants on every simple path',
    () => {
      expect(walkSimple().states.size).toBeGreaterThan(0);
    },
    WALK_TIMEOUT_MS,
  );

  it(
    'visits every state the machine defines',
    () => {
      const { states } = walkAll();
      expect(allStateIds().filter((id) => !states.has(id))).toEqual([]);
    },
    COVERAGE_TIMEOUT_MS,
  );

  it(
    'takes every transition the machine defines',
    () => {
      const { transitions } = walkAll();
      const missing = allTransitions()
        .filter(({ definition }) => !transitions.has(definition))
        .map(({ id }) => id);
      expect(missing).toEqual([]);
    },
    COVERAGE_TIMEOUT_MS,
  );
});

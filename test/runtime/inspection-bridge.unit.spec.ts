import { createInspector, type StatelyInspectionEvent } from '@statelyai/inspect';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { recordingMachine, toMachineSnapshot } from '../../machines/index.js';
import { type CoreState, createCore, picture, stepLine } from '../../src/core/index.js';
import { createLiveFeed } from '../../src/inspect/feed.js';
import { createInspectionBridge } from '../../src/runtime/inspection-bridge.js';
import { coreSteps, traceLines } from '../inspect/traces.js';

/** Runs a trace through the bridge; returns what a capturing observer saw and the final state. */
function inspect(name: string) {
  const seen: InspectionEvent[] = [];
  const bridge = createInspectionBridge({ next: (event) => seen.push(event) });
  const steps = coreSteps(traceLines(name));
  for (const { before, line, result } of steps) bridge.follow(before, line, result);
  return { seen, state: steps.at(-1)?.result.state as CoreState, steps };
}

const sessionOf = (event: InspectionEvent) => event.actorRef.sessionId;

describe('the Stately inspector bridge', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('registers each recording once, as an actor with its id and the lifecycle machine', () => {
    const { seen } = inspect('rule-07-restart.jsonl');
    const actors = seen.filter((e) => e.type === '@xstate.actor');
    expect(actors.map(sessionOf)).toEqual(['r1']);
    const actor = actors[0] as InspectionEvent;
    expect((actor.actorRef as unknown as { logic: unknown }).logic).toBe(recordingMachine);
    expect(actor.rootId).toBe('r1');
    // Registered before anything happens to it.
    expect(seen[0]).toBe(actor);
  });

  it('sends every input that reached a machine as an event, in input order', () => {
    const { seen, steps } = inspect('rule-09-order.jsonl');
    const reached = steps.flatMap(({ result }) =>
      result.outputs.flatMap((o) =>
        o.kind === 'decision' && ['applied', 'late', 'releasedAfterGap'].includes(o.decision)
          ? [o]
          : [],
      ),
    );
    const sent = seen.filter((e) => e.type === '@xstate.event');
    // Each decided input is one event (ticks that fired nothing are not events of any machine).
    const decidedRecordings = reached.filter((d) => d.recording !== undefined);
    const nonTicks = sent.filter((e) => e.event.type !== 'tick');
    expect(nonTicks.map((e) => [sessionOf(e), e.event.type, e.event.at])).toEqual(
      decidedRecordings.map((d) => [d.recording, d.input.split(' ')[0], d.at]),
    );
    const times = sent.map((e) => e.event.at as number);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('follows each event with the snapshot after it; the last equals the core', () => {
    const { seen, state } = inspect('rule-04-failover.jsonl');
    for (const [index, event] of seen.entries()) {
      if (event.type !== '@xstate.event') continue;
      const next = seen[index + 1];
      expect(next?.type).toBe('@xstate.snapshot');
      if (next?.type === '@xstate.snapshot') expect(next.event).toBe(event.event);
    }
    const snapshots = seen.filter((e) => e.type === '@xstate.snapshot');
    const last = snapshots.at(-1);
    const core = state.recordings.get('r1')?.snapshot;
    expect(core).toBeDefined();
    if (last?.type !== '@xstate.snapshot' || core === undefined) return;
    const shown = last.snapshot as ReturnType<typeof toMachineSnapshot>;
    expect(shown.value).toEqual(core.value);
    expect(shown.context).toEqual(core.context);
    expect(shown.context.failover.haAttempts).toBe(picture(state).recordings.r1?.haAttempts);
    expect(last.actorRef.getSnapshot()).toEqual(toMachineSnapshot(core));
  });

  it('keeps one actor per recording across a fleet', () => {
    const seen: InspectionEvent[] = [];
    const bridge = createInspectionBridge((event) => seen.push(event));
    let state = createCore();
    const lines = ['r1', 'r2', 'r3'].flatMap((recording, i) => [
      {
        kind: 'input' as const,
        record: { at: 1000 + i, type: 'start', recording, cname: recording, uid: '7', mode: 'mix' },
      },
      { kind: 'input' as const, record: { at: 2000 + i, type: 'stop', recording } },
    ]);
    for (const line of lines) {
      const result = stepLine(state, line);
      bridge.follow(state, line, result);
      state = result.state;
    }
    const actors = seen.filter((e) => e.type === '@xstate.actor').map(sessionOf);
    expect(actors).toEqual(['r1', 'r2', 'r3']);
    expect(seen.filter((e) => e.type === '@xstate.event').map(sessionOf)).toEqual([
      'r1',
      'r1',
      'r2',
      'r2',
      'r3',
      'r3',
    ]);
  });

  it('plugs into a live feed through its onStep', () => {
    const seen: InspectionEvent[] = [];
    const bridge = createInspectionBridge((event) => seen.push(event));
    const taken = coreSteps(traceLines('rule-01-start.jsonl'));
    const feed = createLiveFeed({
      state: taken[0]!.before,
      onStep: ({ machines }) => bridge.emit(machines),
    });
    for (const { line, result } of taken) {
      feed.push({ item: line, outputs: result.outputs, state: result.state });
    }
    const direct = inspect('rule-01-start.jsonl').seen;
    expect(seen.map((e) => [e.type, sessionOf(e)])).toEqual(
      direct.map((e) => [e.type, sessionOf(e)]),
    );
  });

  it("follows a journal's steps pushed one by one, from the state it was given", () => {
    const seen: InspectionEvent[] = [];
    const taken = coreSteps(traceLines('rule-08-redundancy.jsonl'));
    const bridge = createInspectionBridge((event) => seen.push(event), {
      state: taken[0]!.before,
    });
    for (const { line, result } of taken) {
      bridge.push({ item: line, outputs: result.outputs, state: result.state });
    }
    const direct = inspect('rule-08-redundancy.jsonl').seen;
    expect(seen.map((e) => [e.type, sessionOf(e), 'event' in e ? e.event : null])).toEqual(
      direct.map((e) => [e.type, sessionOf(e), 'event' in e ? e.event : null]),
    );
  });

  it("turns into Stately's actor, event and snapshot messages, with the machine definition", () => {
    vi.useFakeTimers();
    const sent: StatelyInspectionEvent[] = [];
    const inspector = createInspector({ send: (event) => sent.push(event) });
    const bridge = createInspectionBridge(inspector.inspect);
    for (const { before, line, result } of coreSteps(traceLines('rule-02-quit-evidence.jsonl'))) {
      bridge.follow(before, line, result);
    }
    vi.runAllTimers();
    const actor = sent.find((e) => e.type === '@xstate.actor');
    expect(actor?.sessionId).toBe('r1');
    expect(actor?.type === '@xstate.actor' && actor.name).toBe('recording');
    expect(actor?.type === '@xstate.actor' && JSON.parse(actor.definition ?? '{}').id).toBe(
      'recording',
    );
    // The trace has three recordings: one actor each.
    expect(sent.filter((e) => e.type === '@xstate.actor').map((e) => e.sessionId)).toEqual([
      'r1',
      'r2',
      'r3',
    ]);
    expect(sent.some((e) => e.type === '@xstate.event' && e.event.type === 'start')).toBe(true);
    const last = sent.filter((e) => e.type === '@xstate.snapshot' && e.sessionId === 'r1').at(-1);
    expect(
      last?.type === '@xstate.snapshot' && (last.snapshot as { value?: unknown }).value,
    ).toEqual({ quit: 'forGood' });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stepRecording } from '../../machines/index.js';
import { machineStepsOf, picture } from '../../src/core/index.js';
import { StepRecorder } from '../../src/inspect/inspector-step.js';
import { inspectLines } from '../../src/inspect/offline.js';
import { fleetArb } from '../core/arbitraries.js';
import { coreSteps, expectedPicture, RULE_TRACES, traceLines } from './traces.js';

/** Every recording's view after the last step, folded from the steps' changes. */
function finalViews(steps: ReturnType<typeof inspectLines>) {
  const views: Record<string, Record<string, unknown>> = {};
  for (const step of steps) Object.assign(views, step.changed);
  return Object.fromEntries(
    Object.entries(views).map(([id, change]) => {
      const { value: _, ...pictured } = change.after as Record<string, unknown>;
      return [id, pictured];
    }),
  );
}

describe('inspector steps', () => {
  it.each(RULE_TRACES)('fold to the expected final picture of %s', (name) => {
    const steps = inspectLines(traceLines(name));
    const expected = expectedPicture(name) as { recordings: unknown };
    expect(finalViews(steps)).toEqual(expected.recordings);
  });

  it.each(RULE_TRACES)('carry every decision of %s, in order, with its outputs', (name) => {
    const lines = traceLines(name);
    const steps = inspectLines(lines);
    // The machine events delivered are shown as each recording's change, not as outputs.
    const outputs = coreSteps(lines)
      .flatMap(({ result }) => result.outputs)
      .filter((output) => output.kind !== 'delivered');
    const shown = steps.flatMap((step) =>
      step.decisions.flatMap(({ decision, outputs }) => [decision, ...outputs]),
    );
    expect(shown).toEqual(outputs);
    expect(steps.map((s) => s.position)).toEqual(lines.map((_, i) => i + 1));
    expect(steps.map((s) => s.received)).toEqual(lines);
  });

  it('shows a held notification twice: held at its arrival, released at a later step', () => {
    const steps = inspectLines(traceLines('rule-09-order.jsonl'));
    const held = steps.flatMap((step) =>
      step.decisions
        .filter(({ decision }) => decision.decision === 'held')
        .map(({ decision }) => ({ at: step.position, of: decision.position })),
    );
    expect(held.length).toBeGreaterThan(0);
    for (const { of } of held) {
      const settled = steps.find(
        (step) =>
          step.position > of &&
          step.decisions.some(
            ({ decision }) => decision.position === of && decision.decision !== 'held',
          ),
      );
      expect(settled, `the release of position ${of}`).toBeDefined();
    }
  });

  it('names the machine events that changed a recording, with its full state value', () => {
    const steps = inspectLines(traceLines('rule-04-failover.jsonl'));
    expect(steps[0]?.changed.r1).toEqual({
      after: expect.objectContaining({
        state: 'starting',
        value: { starting: { attempt: { acquiring: 'calling' } } },
      }),
      events: ['start'],
      path: [{ starting: { attempt: { acquiring: 'calling' } } }],
    });
    const failover = steps.find((s) => s.changed.r1?.after.state === 'failoverPending');
    expect(failover?.changed.r1?.events).toEqual(['notification']);
  });

  it('gives the events that replay each recording exactly, on generated fleets with faults', () => {
    fc.assert(
      fc.property(fleetArb, (trace) => {
        const lines = trace.map((record) => ({ kind: 'input' as const, record }));
        for (const { before, result } of coreSteps(lines)) {
          const followed = machineStepsOf(before, result.outputs);
          // Every recording whose machine moved was delivered an event (its wake entry may move alone).
          for (const [id, entry] of result.state.recordings) {
            const moved = before.recordings.get(id)?.snapshot !== entry.snapshot;
            if (moved) expect(followed.has(id), `step ${result.state.position} ${id}`).toBe(true);
          }
          for (const [id, { before: start, steps }] of followed) {
            let snapshot = start;
            for (const { event } of steps) snapshot = stepRecording(snapshot, event).snapshot;
            expect(snapshot).toEqual(result.state.recordings.get(id)?.snapshot);
          }
        }
      }),
      { numRuns: 25 },
    );
  });

  it('records steps taken elsewhere (a journal) from the state it was given', () => {
    const lines = traceLines('rule-07-restart.jsonl');
    const taken = coreSteps(lines);
    const recorder = new StepRecorder(taken[0]!.before);
    const steps = taken.map(
      ({ line, result }) => recorder.record(line, result.outputs, result.state).step,
    );
    expect(steps).toEqual(inspectLines(lines));
    expect(recorder.state).toBe(taken.at(-1)?.result.state);
    expect(finalViews(steps)).toEqual(picture(recorder.state).recordings);
  });
});

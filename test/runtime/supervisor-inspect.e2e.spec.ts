// `createSupervisor({ inspect })`: a capturing XState inspection observer sees each recording
// registered once, every input that reached its machine as an event in input order, and
// snapshots that end at what `supervisor.get` says. `steps$` gives the journal's steps.
import { afterEach, describe, expect, it } from 'vitest';
import type { InspectionEvent } from 'xstate';
import {
  createRecording,
  type RecordingEvent,
  type RecordingSnapshot,
  recordingMachine,
  stepRecording,
} from '../../machines/index.js';
import { resolveCoreOptions, snapshotPicture } from '../../src/core/index.js';
import type { JournalStep } from '../../src/runtime/index.js';
import { type Supervised, supervised } from '../fixtures/supervised.js';
import { tempDir } from '../fixtures/temp-dir.js';

const work = tempDir('recwatch-supervisor-inspect-');

let harness: Supervised | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const REACHED = new Set(['applied', 'late', 'releasedAfterGap']);

async function run(inspect: (event: InspectionEvent) => void) {
  harness = await supervised({ overrides: { inspect } });
  const steps: JournalStep[] = [];
  harness.supervisor.steps$.subscribe((step) => steps.push(step));
  const { supervisor } = harness;
  await supervisor.start({ recording: 'r1', cname: 'room1', uid: '1001', mode: 'mix' });
  await supervisor.start({ recording: 'r2', cname: 'room2', uid: '2001', mode: 'individual' });
  await harness.advance(70_000);
  await supervisor.stop('r1');
  await harness.advance(40_000);
  return { supervisor, steps };
}

describe('the supervisor with an XState inspection observer', () => {
  it('registers each recording once, with its id and the lifecycle machine', async () => {
    const seen: InspectionEvent[] = [];
    await run((event) => seen.push(event));
    const actors = seen.filter((e) => e.type === '@xstate.actor');
    expect(actors.map((e) => e.actorRef.sessionId)).toEqual(['r1', 'r2']);
    for (const actor of actors) {
      expect((actor.actorRef as unknown as { logic: unknown }).logic).toBe(recordingMachine);
      expect((actor.actorRef as unknown as { id: string }).id).toBe(actor.actorRef.sessionId);
      // Registered before any event of its own.
      const first = seen.findIndex((e) => e.actorRef === actor.actorRef);
      expect(seen[first]).toBe(actor);
    }
  });

  it('sends each input that reached a machine as an event, in input order', async () => {
    const seen: InspectionEvent[] = [];
    const { supervisor, steps } = await run((event) => seen.push(event));
    const events = seen.filter((e) => e.type === '@xstate.event');
    // The decisions of the journal's steps, in log order, that delivered an input to a machine.
    const delivered = steps.flatMap((step) =>
      step.outputs.flatMap((o) =>
        o.kind === 'decision' && REACHED.has(o.decision) && o.recording !== undefined
          ? [[o.recording, o.at]]
          : [],
      ),
    );
    expect(delivered.length).toBeGreaterThan(6);
    const nonTicks = events.filter((e) => e.event.type !== 'tick');
    expect(nonTicks.map((e) => [e.actorRef.sessionId, e.event.at])).toEqual(delivered);
    // Replaying each actor's events, in the order sent, gives the supervisor's state.
    const { recording: options } = resolveCoreOptions({});
    for (const id of ['r1', 'r2']) {
      let snapshot: RecordingSnapshot = createRecording({ recording: id });
      for (const e of events.filter((x) => x.actorRef.sessionId === id)) {
        snapshot = stepRecording(snapshot, e.event as RecordingEvent, options).snapshot;
      }
      const { recording: _, ...picture } = supervisor.get(id) ?? { recording: id };
      expect(snapshotPicture(snapshot), id).toEqual(picture);
    }
  });

  it('follows each event with its snapshot; the last of each recording is supervisor.get', async () => {
    const seen: InspectionEvent[] = [];
    const { supervisor } = await run((event) => seen.push(event));
    for (const [index, event] of seen.entries()) {
      if (event.type !== '@xstate.event') continue;
      const next = seen[index + 1];
      expect(next?.type).toBe('@xstate.snapshot');
      expect(next?.actorRef).toBe(event.actorRef);
    }
    expect(supervisor.get('r1')?.state).toBe('stopped');
    expect(supervisor.get('r2')?.state).toBe('recording');
    for (const id of ['r1', 'r2']) {
      const last = seen.filter((e) => e.type === '@xstate.snapshot' && e.actorRef.sessionId === id);
      const shown = last.at(-1);
      if (shown?.type !== '@xstate.snapshot') throw new Error(`no snapshot of ${id}`);
      const { recording: _, ...picture } = supervisor.get(id) ?? { recording: id };
      expect(snapshotPicture(shown.snapshot as unknown as RecordingSnapshot)).toEqual(picture);
      expect(shown.actorRef.getSnapshot()).toEqual(shown.snapshot);
    }
  });

  it('takes an observer object too, and a throwing observer costs the supervisor nothing', async () => {
    let calls = 0;
    harness = await supervised({
      overrides: {
        inspect: {
          next: () => {
            calls += 1;
            throw new Error('observer broke');
          },
        },
      },
    });
    await harness.supervisor.start({ recording: 'r1', cname: 'room1', uid: '1001', mode: 'mix' });
    await harness.advance(10_000);
    expect(calls).toBeGreaterThan(0);
    expect(harness.supervisor.get('r1')?.state).toBe('recording');
    expect(harness.lines.filter((l) => l.includes('inspect observer threw Error'))).toHaveLength(1);
  });

  it('announces the recordings a restarted supervisor already holds, and steps$ ends on close', async () => {
    harness = await supervised({ log: work.file('restart.db') });
    await harness.supervisor.start({ recording: 'r1', cname: 'room1', uid: '1001', mode: 'mix' });
    await harness.advance(10_000);
    const ended: string[] = [];
    harness.supervisor.steps$.subscribe({ complete: () => ended.push('steps$') });
    await harness.supervisor.close();
    expect(ended).toEqual(['steps$']);
    const seen: InspectionEvent[] = [];
    await harness.restart({ inspect: (event) => seen.push(event) });
    // Registered first, as it was; then the resume, an input like any other (rule 12).
    expect(seen.map((e) => [e.type, e.actorRef.sessionId])).toEqual([
      ['@xstate.actor', 'r1'],
      ['@xstate.event', 'r1'],
      ['@xstate.snapshot', 'r1'],
    ]);
    expect((seen[1] as { event?: { type?: string } }).event?.type).toBe('resumed');
    expect(snapshotPicture(seen[0]?.actorRef.getSnapshot() as RecordingSnapshot).state).toBe(
      'recording',
    );
  });
});

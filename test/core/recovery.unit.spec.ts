import { describe, expect, it } from 'vitest';
import {
  type CoreOutput,
  type CoreState,
  coreFor,
  createCore,
  machineStepsOf,
  nextWakeOf,
  picture,
  resolveCoreOptions,
  stepUntrusted,
} from '../../src/core/index.js';
import type { TraceRecord } from '../../src/index.js';
import { alive, at, note, start, started, stop, tick } from './inputs.js';

/** Folds inputs as a log is replayed: no override, the options records decide (rule 12). */
function run(inputs: readonly unknown[], from: CoreState = createCore()) {
  let state = from;
  const outputs: CoreOutput[] = [];
  for (const input of inputs) {
    const result = stepUntrusted(state, input);
    state = result.state;
    outputs.push(...result.outputs);
  }
  return { state, outputs };
}

const startSent = (s: number, uid = '1001', resourceId = 'RES-S9'): TraceRecord => ({
  at: at(s),
  type: 'startSent',
  recording: 'r1',
  resourceId,
  uid,
});

const noAnswer = (s: number): TraceRecord => ({
  at: at(s),
  type: 'startFailed',
  recording: 'r1',
  httpStatus: null,
  body: null,
});

const effects = (outputs: readonly CoreOutput[], type: string) =>
  outputs.filter((o) => o.kind === 'effect' && o.type === type);

describe('rule 11: the session of a start whose answer was lost is adopted', () => {
  it('adopts a sid its 40 names (cname and uid) after the start timed out, with no second start', () => {
    const { state, outputs } = run([
      start(0),
      startSent(1),
      noAnswer(11),
      note(12, 'S9', 0, 40),
      note(13, 'S9', 1, 30),
      tick(100),
    ]);
    expect(picture(state).recordings.r1).toMatchObject({
      state: 'recording',
      sid: 'S9',
      resourceId: 'RES-S9',
    });
    expect(effects(outputs, 'start')).toHaveLength(1);
    expect(effects(outputs, 'acquireAndStart')).toHaveLength(1);
    expect(outputs).toContainEqual(
      expect.objectContaining({ kind: 'event', type: 'adopted', sid: 'S9', uid: '1001' }),
    );
    expect(outputs.filter((o) => o.kind === 'decision' && o.decision === 'unrouted')).toEqual([]);
  });

  it('adopts it while the start is still out, and a late timeout of that start changes nothing', () => {
    const { state } = run([start(0), startSent(1), note(3, 'S9', 0, 40), noAnswer(11)]);
    expect(picture(state).recordings.r1).toMatchObject({ state: 'recording', sid: 'S9' });
  });

  it('adopts what waited as an unknown sid when the start becomes one to settle', () => {
    // The news came while only the acquire was out (it cannot concern a start not sent yet).
    const { state } = run([start(0), note(1, 'S9', 0, 40), startSent(2), noAnswer(5)]);
    expect(picture(state).recordings.r1).toMatchObject({ state: 'recording', sid: 'S9' });
  });

  it('never adopts a sid that names another uid or channel', () => {
    const { state } = run([
      start(0),
      startSent(1),
      noAnswer(11),
      note(12, 'S8', 0, 40, {}, { uid: '2002' }),
    ]);
    expect(picture(state).recordings.r1).toMatchObject({ state: 'starting', sid: null });
  });
});

describe('rule 12: a startSent the attempt does not answer', () => {
  const decisionsOf = (outputs: readonly CoreOutput[]) =>
    outputs.filter((o) => o.kind === 'decision' && o.decision !== 'applied');

  it("is ignored with its reason when it names another uid than the attempt's, and sends nothing", () => {
    const { state, outputs } = run([start(0), startSent(1, '2002')]);
    expect(decisionsOf(outputs)).toEqual([
      expect.objectContaining({
        decision: 'ignored',
        position: 2,
        recording: 'r1',
        reason: expect.stringMatching(/^startSentOtherUid\b.*1001/),
        state: 'starting',
      }),
    ]);
    expect(effects(outputs, 'start')).toEqual([]);
    // The attempt's own startSent still goes out after it.
    const next = stepUntrusted(state, startSent(2));
    expect(next.outputs).toContainEqual(
      expect.objectContaining({ kind: 'decision', decision: 'applied', position: 3 }),
    );
    expect(effects(next.outputs, 'start')).toHaveLength(1);
  });

  it('a late startSent of the attempt given up (rule 11: retried with the other uid) is ignored', () => {
    const { outputs } = run([
      start(0),
      startSent(1),
      noAnswer(11),
      tick(60),
      startSent(61, '1001', 'RES-LATE'),
    ]);
    expect(effects(outputs, 'acquireAndStart')).toHaveLength(2);
    expect(decisionsOf(outputs)).toContainEqual(
      expect.objectContaining({ decision: 'ignored', position: 5 }),
    );
    expect(effects(outputs, 'start')).toHaveLength(1);
  });
});

describe('rule 12: options in the log', () => {
  it('reads the options an `options` record sets, from the next input on', () => {
    const options = resolveCoreOptions({ unknownSidHoldMs: 60_000 });
    const { state } = run([{ at: at(0), type: 'options', options }, note(1, 'S5', 0, 40)]);
    expect(state.options).toEqual(options);
    // The held notification's deadline is the recorded 60 s, not the default 30 s.
    expect(nextWakeOf(state)).toBe(at(61));
  });

  it('rejects an `options` record whose fields have the wrong shape, naming the field', () => {
    const { state, outputs } = run([
      { at: at(0), type: 'options', options: { recording: { pollIntervalMs: 'soon' } } },
    ]);
    expect(state.options).toEqual(resolveCoreOptions());
    expect(outputs[0]).toMatchObject({ decision: 'rejected' });
    expect((outputs[0] as { reason: string }).reason).toMatch(/recording\.pollIntervalMs/);
  });

  it('lets a host override what the log recorded, for every step', () => {
    const override = resolveCoreOptions({ unknownSidHoldMs: 5_000 });
    let state = createCore();
    for (const input of [
      { at: at(0), type: 'options', options: resolveCoreOptions({ unknownSidHoldMs: 60_000 }) },
      note(1, 'S5', 0, 40),
      tick(7),
    ])
      state = stepUntrusted(state, input, override).state;
    expect(state.unknownSids.size).toBe(0);
  });
});

describe('rule 13: orphans are stopped', () => {
  const restarted = [
    start(0),
    started(1, 'S1'),
    note(2, 'S1', 0, 40),
    note(30, 'S1', 1, 11, { exitStatus: 1 }),
    started(31, 'S2'),
    alive(36, 'S2'),
  ];

  it('stops an earlier session that shows life, once, with its own resource and uid', () => {
    const { state, outputs } = run([...restarted, note(40, 'S1', 2, 40), note(41, 'S1', 3, 30)]);
    expect(picture(state).recordings.r1).toMatchObject({ state: 'recording', sid: 'S2' });
    const stops = effects(outputs, 'stop');
    expect(stops).toEqual([
      expect.objectContaining({ sid: 'S1', resourceId: 'RES-S1', uid: '1001' }),
    ]);
    expect(outputs).toContainEqual(
      expect.objectContaining({ kind: 'event', type: 'orphanStopped', sid: 'S1' }),
    );
  });

  it('takes the answer to the orphan stop as news of no current session', () => {
    const { state, outputs } = run([
      ...restarted,
      note(40, 'S1', 2, 40),
      { at: at(41), type: 'stopResult', recording: 'r1', sid: 'S1', httpStatus: 200, body: {} },
    ]);
    expect(picture(state).recordings.r1).toMatchObject({ state: 'recording', sid: 'S2' });
    expect(outputs.at(-1)).toMatchObject({ decision: 'stale', sid: 'S1' });
  });

  it('leaves an earlier session alone when its news is only of its end', () => {
    const { outputs } = run([...restarted, note(40, 'S1', 2, 31)]);
    expect(effects(outputs, 'stop')).toEqual([]);
  });

  it('is not the host stop: a stopped recording sends no stop to its earlier sessions', () => {
    const { outputs } = run([...restarted, stop(50), note(51, 'S2', 0, 11), note(52, 'S1', 2, 40)]);
    expect(effects(outputs, 'stop').map((s) => (s as { sid: string }).sid)).toEqual(['S2']);
  });
});

describe('rule 10: a recording the host stopped is never left running unseen', () => {
  it('stops its session again when it shows life after a stop answered 404', () => {
    const notFoundStop = {
      at: at(41),
      type: 'stopResult',
      recording: 'r1',
      sid: 'S1',
      httpStatus: 404,
      body: { code: 404, reason: 'failed to find worker' },
    };
    const { state, outputs } = run([
      start(0),
      started(1, 'S1'),
      note(2, 'S1', 0, 40),
      stop(40),
      notFoundStop,
      // A lost server was being moved: it comes back on a new recorder.
      note(80, 'S1', 1, 40, {}, { uid: '7007' }),
    ]);
    expect(picture(state).recordings.r1?.state).toBe('stopped');
    expect(effects(outputs, 'stop')).toHaveLength(2);
    expect(outputs.at(-1)).toMatchObject({ kind: 'event', type: 'orphanStopped', sid: 'S1' });
  });
});

describe('the core tells what it delivered', () => {
  it('gives a late notification to the machine with its late flag, as the inspector shows it', () => {
    const inputs = [
      start(0),
      started(1, 'S1'),
      note(2, 'S1', 0, 40),
      note(3, 'S1', 2, 42),
      tick(6),
      note(7, 'S1', 1, 12, { newUid: 3003 }, { sentAt: 2.5 }),
    ];
    const before = run(inputs.slice(0, -1)).state;
    const last = stepUntrusted(before, inputs.at(-1));
    expect(last.outputs[0]).toMatchObject({ decision: 'late' });
    const steps = machineStepsOf(before, last.outputs).get('r1')?.steps ?? [];
    expect(steps.map((s) => s.event)).toEqual([
      expect.objectContaining({
        type: 'notification',
        notification: expect.objectContaining({ eventType: 12, late: true }),
      }),
    ]);
    // A late 12 does not move the recording to failoverPending.
    expect(steps.at(-1)?.snapshot.value).toEqual({ recording: 'healthy' });
  });
});

describe('coreFor: a core bound to its options once', () => {
  const record = {
    at: at(0),
    type: 'options',
    options: resolveCoreOptions({ unknownSidHoldMs: 60_000 }),
  };

  it('without options reads what the log recorded, in every function', () => {
    const core = coreFor();
    let state = core.create();
    for (const input of [record, note(1, 'S5', 0, 40)])
      state = core.stepUntrusted(state, input).state;
    expect(core.nextWake(state)).toBe(at(61));
    expect(core.replay([record, note(1, 'S5', 0, 40)]).state.options.unknownSidHoldMs).toBe(60_000);
  });

  it('refuses options of the wrong shape with a typed error naming the field', () => {
    expect(() => coreFor({ recording: { pollIntervalMs: -1 } } as never)).toThrow(
      /recording\.pollIntervalMs/,
    );
    expect(() => coreFor(null as never)).toThrow(/expected an object/);
  });

  it('with options overrides the log in every function, the wake included', () => {
    const core = coreFor({ unknownSidHoldMs: 5_000 });
    let state = core.create();
    for (const input of [record, note(1, 'S5', 0, 40)])
      state = core.stepUntrusted(state, input).state;
    expect(core.nextWake(state)).toBe(at(6));
    const replayed = core.replay([record, note(1, 'S5', 0, 40), tick(7)]).state;
    expect(replayed.unknownSids.size).toBe(0);
  });
});

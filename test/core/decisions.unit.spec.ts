import { describe, expect, it } from 'vitest';
import {
  type CoreOutput,
  createCore,
  type Decision,
  picture,
  replayUntrusted,
  stepUntrusted,
} from '../../src/index.js';
import { alive, at, note, start, started, stop, tick } from './inputs.js';

function run(inputs: unknown[]) {
  const outputs: CoreOutput[] = [];
  const { state } = replayUntrusted(inputs, { onOutput: (output) => outputs.push(output) });
  const decisions = outputs.filter((o): o is Decision => o.kind === 'decision');
  return {
    state,
    outputs,
    decisions,
    of: (position: number) => decisions.filter((d) => d.position === position),
  };
}

const live = [start(0), started(0.8, 'S1'), note(1, 'S1', 0, 40)];

describe('the core decides every input', () => {
  it('applies inputs in order and says the state after', () => {
    const { of } = run(live);
    expect(of(1)).toMatchObject([{ decision: 'applied', recording: 'r1', state: 'starting' }]);
    expect(of(3)).toMatchObject([
      { decision: 'applied', recording: 'r1', sid: 'S1', state: 'recording' },
    ]);
  });

  it('marks a second copy duplicate (same sid, eventType, sequence, or same noticeId)', () => {
    const { of, state } = run([
      ...live,
      note(1.2, 'S1', 0, 40, {}, { noticeId: 'resent-1' }),
      note(2, 'S1', 1, 30, {}, { noticeId: 'same' }),
      note(2.1, 'S1', 7, 30, {}, { noticeId: 'same' }),
    ]);
    expect(of(4)).toMatchObject([{ decision: 'duplicate' }]);
    expect(of(5)).toMatchObject([{ decision: 'applied' }]);
    expect(of(6)).toMatchObject([{ decision: 'duplicate' }]);
    expect(picture(state).recordings.r1?.state).toBe('recording');
  });

  it('holds a failover notice whose predecessor is missing, then applies both in order', () => {
    const { of } = run([...live, note(10, 'S1', 2, 12, { newUid: 2002 }), note(10.5, 'S1', 1, 44)]);
    expect(of(4)).toMatchObject([
      { decision: 'held', reason: 'waiting for an earlier sequence' },
      { decision: 'applied', at: at(10.5), state: 'failoverPending' },
    ]);
    expect(of(5)).toMatchObject([{ decision: 'applied' }]);
  });

  it('never holds what order cannot change: life and stream news pass at once, gap or not', () => {
    const { of } = run([...live, note(10, 'S1', 2, 43), note(10.2, 'S1', 5, 40)]);
    expect(of(4)).toMatchObject([{ decision: 'applied', at: at(10) }]);
    expect(of(5)).toMatchObject([{ decision: 'applied', at: at(10.2) }]);
  });

  it('passes a quit notice at once when nothing is missing before it', () => {
    const { of } = run([...live, note(10, 'S1', 1, 11, { exitStatus: 0 })]);
    expect(of(4)).toMatchObject([{ decision: 'applied', at: at(10), state: 'restarting' }]);
  });

  it('holds a quit notice behind a gap: an earlier quit would give the reason', () => {
    const { of, state } = run([
      ...live,
      note(10, 'S1', 2, 11, { exitStatus: 0 }),
      note(10.4, 'S1', 1, 41, { leaveCode: 4 }),
    ]);
    expect(of(4)).toMatchObject([{ decision: 'held' }, { decision: 'applied', at: at(10.4) }]);
    expect(picture(state).recordings.r1).toMatchObject({ state: 'quit', quitReason: 'idle' });
  });

  it('never holds a sid’s first notification, whatever its sequence (issue 9, kind 6)', () => {
    const { of } = run([start(0), started(0.8, 'S1'), note(1, 'S1', 1, 40)]);
    expect(of(3)).toMatchObject([{ decision: 'applied', at: at(1), state: 'recording' }]);
  });

  it('releases a held failover notice after 2 s at a tick, with the gap noted', () => {
    const { of } = run([...live, note(10, 'S1', 3, 12, { newUid: 2002 }), tick(11.9), tick(12)]);
    expect(of(4)).toMatchObject([
      { decision: 'held' },
      { decision: 'releasedAfterGap', gap: { from: 1, to: 2 }, at: at(12) },
    ]);
  });

  it('ends a hold as soon as a later notification of its recorder passes', () => {
    const { of } = run([...live, note(10, 'S1', 3, 12, { newUid: 2002 }), note(10.5, 'S1', 4, 43)]);
    expect(of(4)).toMatchObject([
      { decision: 'held' },
      { decision: 'releasedAfterGap', gap: { from: 1, to: 2 }, at: at(10.5) },
    ]);
    expect(of(5)).toMatchObject([{ decision: 'applied', at: at(10.5) }]);
  });

  it('applies a notification that comes after its successors, marked late', () => {
    const { of } = run([...live, note(10, 'S1', 2, 43), tick(12), note(13, 'S1', 1, 44)]);
    expect(of(6)).toMatchObject([{ decision: 'late', recording: 'r1' }]);
  });

  it('gives no false gap after a host stop: later quit news is decided at once (kind 5)', () => {
    const { of } = run([
      start(0),
      started(0.8, 'S1'),
      note(1, 'S1', 0, 40),
      note(2, 'S1', 1, 40),
      stop(10),
      { at: at(11), type: 'stopResult', recording: 'r1', sid: 'S1', httpStatus: 200, body: {} },
      note(12, 'S1', 2, 11, { exitStatus: 0 }),
      note(13, 'S1', 4, 31, {}),
    ]);
    for (const position of [7, 8]) {
      const decided = of(position);
      expect(decided).toHaveLength(1);
      expect(decided[0]?.decision).toMatch(/^(applied|stale)$/);
      expect(decided[0]?.gap).toBeUndefined();
    }
  });

  it('holds notifications for a sid no start has named yet, and applies them once it is', () => {
    const { of, state } = run([start(0), note(0.5, 'S1', 0, 40), started(0.8, 'S1')]);
    expect(of(2)).toMatchObject([
      { decision: 'held', reason: 'sid S1 not known yet' },
      { decision: 'applied', state: 'recording' },
    ]);
    expect(picture(state).recordings.r1?.state).toBe('recording');
  });

  it('keeps a notification unrouted when no start names its sid within 30 s', () => {
    const { of } = run([start(0), note(1, 'S-unknown', 0, 40), tick(30.9), tick(31)]);
    expect(of(2)).toMatchObject([{ decision: 'held' }, { decision: 'unrouted', at: at(31) }]);
  });

  it('marks notifications of a previous sid stale and never applies them', () => {
    const { of, state } = run([
      ...live,
      note(20, 'S1', 1, 11, { exitStatus: 0 }),
      started(21, 'S2'),
      note(22, 'S2', 0, 40),
      note(30, 'S1', 2, 31),
      note(31, 'S1', 3, 11, { exitStatus: 1 }),
    ]);
    expect(of(7)).toMatchObject([{ decision: 'stale', sid: 'S1', state: 'recording' }]);
    expect(of(8)).toMatchObject([{ decision: 'stale' }]);
    expect(picture(state).recordings.r1).toMatchObject({
      state: 'recording',
      sid: 'S2',
      restarts: 1,
    });
  });

  it('marks a query for a previous sid stale', () => {
    const { of } = run([...live, note(20, 'S1', 1, 11), started(21, 'S2'), alive(22, 'S1', 8)]);
    expect(of(6)).toMatchObject([{ decision: 'stale', reason: 'a previous sid' }]);
  });

  it('rejects an input that does not validate, with the reason, and goes on', () => {
    const { of, state } = run([
      ...live,
      { at: at(5), type: 'teleport' },
      'garbage',
      stop(6),
      { at: at(7), type: 'stop', recording: 'r9' },
    ]);
    expect(of(4)).toMatchObject([
      { decision: 'rejected', reason: expect.stringContaining('type') },
    ]);
    expect(of(5)).toMatchObject([{ decision: 'rejected', input: 'unreadable input' }]);
    expect(of(6)).toMatchObject([{ decision: 'applied', state: 'stopping' }]);
    expect(of(7)).toMatchObject([{ decision: 'rejected', reason: "unknown recording 'r9'" }]);
    expect(picture(state).recordings.r1?.state).toBe('stopping');
  });

  it('rejects a notification whose body is not a notification, naming the path', () => {
    const { of } = run([
      ...live,
      { at: at(5), type: 'notification', body: { eventType: 40, payload: { sid: 'S1' } } },
    ]);
    expect(of(4)).toMatchObject([
      { decision: 'rejected', reason: expect.stringMatching(/^body\.payload\.sequence: /) },
    ]);
  });

  it('fires due deadlines on a tick, in every recording', () => {
    const { outputs } = run([
      start(0),
      started(1, 'S1'),
      start(0, 'r2'),
      started(1, 'S2', 'r2'),
      tick(6),
    ]);
    const queries = outputs.filter((o) => o.kind === 'effect' && o.type === 'query');
    expect(queries.map((q) => q.recording).sort()).toEqual(['r1', 'r2']);
  });

  it('gives a decision to every input, even when it reaches nothing', () => {
    const inputs = [...live, tick(2), note(3, 'S1', 1, 43), note(3, 'S1', 1, 43)];
    const { decisions } = run(inputs);
    const decided = new Set(decisions.map((d) => d.position));
    expect([...decided].sort((a, b) => a - b)).toEqual(inputs.map((_, i) => i + 1));
  });
});

describe('time that goes back', () => {
  it('takes an input stamped before the core’s time as happening now, and says so', () => {
    const { of, state } = run([start(0), tick(10), started(0.8, 'S1')]);
    expect(of(3)).toMatchObject([
      {
        decision: 'applied',
        at: at(10),
        reason: "observed 9200 ms before the core's time: taken as 1700000010000",
      },
    ]);
    // Its deadlines count from the core's time, not from the past: the first query 5 s after 10 s.
    expect(state.recordings.get('r1')?.snapshot.context.deadlines.queryAt).toBe(at(15));
  });

  it('fires nothing for a tick from the past', () => {
    const { outputs } = run([start(0), started(1, 'S1'), tick(10), tick(3)]);
    const last = outputs.filter((o) => o.kind === 'decision').at(-1);
    expect(last).toMatchObject({
      decision: 'applied',
      at: at(10),
      reason: expect.stringContaining('7000 ms'),
    });
  });
});

describe('the picture of a recording with a hostile id', () => {
  it('shows a recording named __proto__ like any other', () => {
    const input = {
      at: 1,
      type: 'start',
      recording: '__proto__',
      cname: 'c',
      uid: '1',
      mode: 'mix',
    };
    const shown = picture(stepUntrusted(createCore(), input).state);
    expect(Object.keys(shown.recordings)).toEqual(['__proto__']);
    const printed = JSON.parse(JSON.stringify(shown)).recordings;
    expect(Object.getOwnPropertyDescriptor(printed, '__proto__')?.value.state).toBe('starting');
  });
});

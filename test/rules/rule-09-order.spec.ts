// Rule 9 (lifecycle-rules.md), clause by clause, through `recwatch replay --json`'s path.
import { describe, expect, it } from 'vitest';
import {
  alive,
  at,
  decisionAt,
  type Line,
  note,
  replayTrace,
  start,
  started,
  tick,
} from './trace.js';

const noRestart = { at: at(0), type: 'options', options: { recording: { restartBudget: 0 } } };
// Positions: 1 options, 2 start, 3 started, 4 tick, 5 query, 6 the 40 (sequence 0).
const live = (): Line[] => [noRestart, start(0), started(1), tick(6), alive(6, 5), note(10, 40, 0)];

describe('rule 9: notifications of one sid are applied in sequence order', () => {
  it('a quit whose predecessor is missing is held up to 2 s, then released with the gap noted', async () => {
    const lines = [...live(), note(100, 11, 2, { exitStatus: 1 })];
    const held = await replayTrace([...lines, tick(101.9)]);
    expect(decisionAt(held, 7)).toEqual(['held']);
    expect(held.r().state).toBe('recording');
    const run = await replayTrace([...lines, tick(102)]);
    expect(run.decisions.filter((d) => d.position === 7).at(-1)).toMatchObject({
      decision: 'releasedAfterGap',
      gap: { from: 1, to: 1 },
    });
    expect(run.r()).toMatchObject({ state: 'quit', quitReason: 'abnormalExit' });
  });

  it('an idle 41 arriving after its 11 within the hold is applied first: the reason is idle', async () => {
    const run = await replayTrace([
      ...live(),
      note(100, 11, 2, { exitStatus: 0 }, { sentAt: 99.9 }),
      note(101, 41, 1, { leaveCode: 4 }, { sentAt: 99.5 }),
      tick(103),
    ]);
    expect(run.r()).toMatchObject({ state: 'quit', quitReason: 'idle' });
  });

  it('subscribed subsets (sequence numbers jump over the events not subscribed): life passes, a quit waits 2 s at most', async () => {
    const run = await replayTrace([
      noRestart,
      start(0),
      started(1),
      note(2, 40, 3),
      note(20, 43, 9, { streamUid: 7, state: 0 }),
      note(100, 11, 12, { exitStatus: 0 }),
      tick(102),
    ]);
    expect(run.decisions.filter((d) => d.position < 6 && d.decision !== 'applied')).toEqual([]);
    expect(decisionAt(run, 6)).toEqual(['held', 'releasedAfterGap']);
    expect(run.r()).toMatchObject({ state: 'quit', quitReason: 'exited' });
  });

  it('a life event is never held (nothing before it can change its meaning)', async () => {
    const run = await replayTrace([
      noRestart,
      start(0),
      started(1),
      note(2, 40, 0),
      note(3, 30, 5),
    ]);
    expect(run.decisions.filter((d) => d.decision === 'held')).toEqual([]);
  });
});

describe('rule 9: a notification older than an applied query cannot undo what it showed', () => {
  // The query is sent at 99.0 s and answered (observed) at 100.0 s: status 5.
  const sentThenAnswered = alive(100, 5, 'S1', { sentAt: at(99) });

  it('an idle 41 that happened after the query was sent, before its answer arrived, is applied', async () => {
    const run = await replayTrace([
      ...live(),
      tick(99),
      sentThenAnswered,
      note(100.3, 41, 1, { leaveCode: 4 }, { sentAt: 99.8 }),
    ]);
    expect(run.r()).toMatchObject({ state: 'quit', quitReason: 'idle' });
  });

  it('an exit sent before the query left is outranked: still recording', async () => {
    const run = await replayTrace([
      ...live(),
      tick(99),
      sentThenAnswered,
      note(100.3, 11, 1, { exitStatus: 1 }, { sentAt: 98.5 }),
    ]);
    expect(run.r()).toMatchObject({ state: 'recording', quitReason: null });
  });

  it('without sentAt, the query counts as sent at its at', async () => {
    const run = await replayTrace([
      ...live(),
      tick(99),
      alive(100, 5),
      note(100.3, 11, 1, { exitStatus: 1 }, { sentAt: 99.8 }),
    ]);
    expect(run.r()).toMatchObject({ state: 'recording', quitReason: null });
  });

  it('old news is kept: the 11 that confirms an outranked idle 41 quits idle (no restart)', async () => {
    const run = await replayTrace([
      start(0),
      started(1),
      tick(6),
      alive(6, 5),
      note(10, 40, 0),
      tick(99),
      alive(100, 5),
      note(100.3, 41, 1, { leaveCode: 4 }, { sentAt: 99.8 }),
      note(101, 11, 2, { exitStatus: 0 }, { sentAt: 100.5 }),
      tick(400),
    ]);
    expect(run.r()).toMatchObject({ state: 'quit', quitReason: 'idle', restarts: 0 });
    expect(run.effects('acquireAndStart')).toHaveLength(1);
  });

  it('a query that confirms the quit (status 8) takes the earliest reason too', async () => {
    const run = await replayTrace([
      start(0),
      started(1),
      tick(6),
      alive(6, 5),
      tick(99),
      alive(100, 5),
      note(100.3, 41, 0, { leaveCode: 4 }, { sentAt: 99.8 }),
      tick(101),
      alive(101, 8),
    ]);
    expect(run.r()).toMatchObject({ state: 'quit', quitReason: 'idle', restarts: 0 });
  });
});

describe('rule 9: notifications for a sid not yet known wait for it, up to 30 s', () => {
  it('are applied once started names the sid', async () => {
    const run = await replayTrace([noRestart, start(0), note(0.5, 40, 0), started(1)]);
    expect(decisionAt(run, 3)).toEqual(['held', 'applied']);
    expect(run.r().state).toBe('recording');
  });

  it('are kept as unrouted after 30 s', async () => {
    const run = await replayTrace([
      noRestart,
      start(0),
      note(0.5, 11, 0, { exitStatus: 1 }, { sid: 'SX' }),
      tick(30.6),
    ]);
    expect(decisionAt(run, 3)).toEqual(['held', 'unrouted']);
    expect(run.r().state).toBe('starting');
  });
});

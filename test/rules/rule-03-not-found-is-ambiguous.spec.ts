// Rule 3 (lifecycle-rules.md), clause by clause, through `recwatch replay --json`'s path.
import { describe, expect, it } from 'vitest';
import {
  alive,
  at,
  type Line,
  note,
  notFound,
  replayTrace,
  start,
  started,
  tick,
} from './trace.js';

const noRestart = { at: at(0), type: 'options', options: { recording: { restartBudget: 0 } } };
const live = (): Line[] => [noRestart, start(0), started(1), tick(6), alive(6, 5)];
/** A 404 at each time, with the tick that woke it. */
const notFounds = (...times: number[]) => times.flatMap((s) => [tick(s), notFound(s)]);
const wakes = (run: { effects(type: string): unknown[] }) =>
  run.effects('wakeAt').map((o) => ((o as { at: number }).at - at(0)) / 1000);

describe('rule 3: a 404 in recording starts probing: 5, 10, 15, 30, 35 s (95 s)', () => {
  it('queries again after each step, and is still recording before the last answer', async () => {
    const run = await replayTrace([...live(), ...notFounds(66, 71, 81, 96, 126)]);
    expect(run.r().state).toBe('recording');
    expect(wakes(run)).toEqual(expect.arrayContaining([71, 81, 96, 126, 161]));
    expect(run.effects('query').length).toBeGreaterThanOrEqual(6);
  });

  it('quits lost when the probing runs out with no failover evidence', async () => {
    const run = await replayTrace([...live(), ...notFounds(66, 71, 81, 96, 126, 161)]);
    expect(run.r()).toMatchObject({ state: 'quit', quitReason: 'lost' });
  });

  it('outlasts a lost server answering 404 for 90 s', async () => {
    const run = await replayTrace([
      ...live(),
      ...notFounds(66, 71, 81, 96, 126),
      tick(155),
      alive(155, 5),
    ]);
    expect(run.r()).toMatchObject({ state: 'recording', quitReason: null });
  });

  it.each([4, 5, '5'])(
    'a 200 with status %j during probing is back to recording',
    async (status) => {
      const run = await replayTrace([
        ...live(),
        ...notFounds(66, 71),
        tick(81),
        alive(81, status),
        ...notFounds(141, 146),
      ]);
      expect(run.r().state).toBe('recording');
      // Probing starts over after the 200: 146 is its second step, not its third.
      expect(wakes(run).at(-1)).toBe(156);
    },
  );

  it('with the default restart policy, lost restarts on the other uid', async () => {
    const run = await replayTrace([
      start(0),
      started(1),
      tick(6),
      alive(6, 5),
      ...notFounds(66, 71, 81, 96, 126, 161),
    ]);
    expect(run.r()).toMatchObject({ state: 'restarting', quitReason: 'lost', restarts: 1 });
    expect(run.effects('acquireAndStart').map((o) => (o as { uid?: string }).uid)).toEqual([
      '1001',
      '1002',
    ]);
  });
});

describe('rule 3: in failoverPending 404s are expected; the failover deadline governs', () => {
  it('stays failoverPending through 404s, then quits failoverTimeout at 90 s', async () => {
    const inputs = [
      ...live(),
      note(60, 12, 0, { newUid: 2002 }),
      ...notFounds(61, 76, 91, 106, 121, 136),
    ];
    const before = await replayTrace([...inputs, tick(149)]);
    expect(before.r()).toMatchObject({ state: 'failoverPending', haAttempts: 1, uid: '2002' });
    const after = await replayTrace([...inputs, tick(150)]);
    expect(after.r()).toMatchObject({ state: 'quit', quitReason: 'failoverTimeout' });
  });
});

describe('rule 3: a fatal error (event 1, errorLevel 5) queries at once', () => {
  it.each([5, '5'])('errorLevel %j', async (errorLevel) => {
    const run = await replayTrace([
      ...live(),
      note(30, 1, 0, { module: 0, errorLevel, errorCode: 50 }),
    ]);
    expect(run.outputs.at(-2)).toMatchObject({ type: 'query', priority: 'urgent' });
    expect(run.r().state).toBe('recording');
  });

  it('while starting too', async () => {
    const run = await replayTrace([start(0), started(1), note(2, 1, 0, { errorLevel: 5 })]);
    expect(run.outputs.filter((o) => o.type === 'query')).toEqual([
      expect.objectContaining({ priority: 'urgent', sid: 'S1' }),
    ]);
  });

  it('a lesser error does not', async () => {
    const run = await replayTrace([...live(), note(30, 1, 0, { module: 0, errorLevel: 3 })]);
    expect(run.outputs.filter((o) => o.type === 'query')).toHaveLength(1);
  });
});

describe('rule 3: a failover hint turns probing that runs out into failoverPending', () => {
  const agoraSteps = {
    at: at(0),
    type: 'options',
    options: { recording: { restartBudget: 0, notFoundBackoffMs: [5000, 10000, 15000] } },
  };

  it.each([
    ['an ambiguous 41 (leaveCode 2)', note(60, 41, 0, { leaveCode: 2 })],
    ['a fatal error', note(60, 1, 0, { errorLevel: 5 })],
  ])('after %s: failoverPending, then rule 4 decides', async (_n, hint) => {
    const inputs: Line[] = [agoraSteps, start(0), started(1), tick(6), alive(6, 5), hint];
    const probed = [...inputs, ...notFounds(61, 66, 76, 91)];
    const pending = await replayTrace(probed);
    expect(pending.r()).toMatchObject({ state: 'failoverPending', haAttempts: 0 });
    const back = await replayTrace([...probed, note(100, 40, 0, {}, { uid: '3003' })]);
    expect(back.r()).toMatchObject({ state: 'recording', uid: '3003' });
    const gone = await replayTrace([...probed, tick(150)]);
    expect(gone.r()).toMatchObject({ state: 'quit', quitReason: 'failoverTimeout' });
  });

  // docs/lifecycle.md's reading of "rule 4's deadline decides": the window is counted from the
  // hint, so with the default 95 s of probing a hint that came before the 404s has expired when
  // probing runs out, and the quit is `lost` (the shared rules could also read `failoverTimeout`).
  it('with the default steps, a hint before the 404s has expired when probing runs out: lost', async () => {
    const run = await replayTrace([
      ...live(),
      note(60, 41, 0, { leaveCode: 2 }),
      notFound(60.3),
      ...notFounds(65.3, 75.3, 90.3, 120.3, 155.3),
    ]);
    expect(run.r()).toMatchObject({ state: 'quit', quitReason: 'lost' });
  });

  it('a hint during the default probing makes its end failoverPending', async () => {
    const run = await replayTrace([
      ...live(),
      ...notFounds(66, 71, 81, 96, 126),
      note(130, 1, 0, { errorLevel: 5 }),
      ...notFounds(130.1, 161),
    ]);
    expect(run.r().state).toBe('failoverPending');
    const gone = await replayTrace([
      ...live(),
      ...notFounds(66, 71, 81, 96, 126),
      note(130, 1, 0, { errorLevel: 5 }),
      ...notFounds(130.1, 161),
      tick(220),
    ]);
    expect(gone.r()).toMatchObject({ state: 'quit', quitReason: 'failoverTimeout' });
  });
});

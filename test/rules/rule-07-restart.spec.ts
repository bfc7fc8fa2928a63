// Rule 7 (lifecycle-rules.md), clause by clause, through `recwatch replay --json`'s path.
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
  startFailed,
  startSent,
  startUids,
  tick,
} from './trace.js';

const live = (sid = 'S1', t = 0): Line[] => [
  start(t),
  started(t + 1, sid),
  tick(t + 6),
  alive(t + 6, 5, sid),
];

describe('rule 7: restart after a quit the host did not ask for', () => {
  it('restarting, acquire+start, then starting with the new sid once it starts', async () => {
    const quit = [...live(), note(100, 11, 0, { exitStatus: 1 })];
    const restarting = await replayTrace(quit);
    expect(restarting.r()).toMatchObject({
      state: 'restarting',
      quitReason: 'abnormalExit',
      restarts: 1,
    });
    expect(restarting.events('restarting')).toHaveLength(1);
    const run = await replayTrace([
      ...quit,
      startSent(100.5, '1001', 'RES-S2'),
      started(101, 'S2'),
      tick(106),
      alive(106, 5, 'S2'),
    ]);
    expect(run.r()).toMatchObject({
      state: 'recording',
      sid: 'S2',
      restarts: 1,
      quitReason: 'abnormalExit',
    });
    expect(run.events('restarted')).toEqual([expect.objectContaining({ sid: 'S2', restarts: 1 })]);
  });

  it.each([
    ['idle (41 leaveCode 4)', note(100, 41, 0, { leaveCode: 4 }), 'idle'],
    [
      'maxRecordingHour (71 code 1)',
      note(100, 71, 0, { code: 1, message: 'max_recording_hour' }),
      'maxRecordingHour',
    ],
  ])('is not restarted after %s', async (_n, evidence, reason) => {
    const run = await replayTrace([
      start(0, { mode: 'web' }),
      started(1),
      tick(6),
      alive(6, 5),
      evidence,
      tick(400),
    ]);
    expect(run.r()).toMatchObject({ state: 'quit', quitReason: reason, restarts: 0 });
    expect(run.effects('acquireAndStart')).toHaveLength(1);
  });

  it.each([
    ['exited', note(100, 11, 0, { exitStatus: 0 })],
    ['uploaded', note(100, 31, 0, {})],
    ['webRecorderStopped (71 code 4)', note(100, 71, 0, { code: 4 })],
    ['webRecorderStopped (72)', note(100, 72, 0, {})],
  ])('is restarted after %s', async (_n, evidence) => {
    const run = await replayTrace([
      start(0, { mode: 'web' }),
      started(1),
      tick(6),
      alive(6, 5),
      evidence,
    ]);
    expect(run.r()).toMatchObject({ state: 'restarting', restarts: 1 });
  });

  it('budget: 3 restarts; the 4th quit ⇒ failed restartBudgetExhausted', async () => {
    const lines: Line[] = [...live('S1')];
    let t = 100;
    for (const sid of ['S2', 'S3', 'S4']) {
      lines.push(
        note(
          t,
          11,
          0,
          { exitStatus: 1 },
          { sid: lines.length > 4 ? (lines.at(-1) as { sid: string }).sid : 'S1' },
        ),
      );
      lines.push(
        tick(t + 30),
        startSent(t + 30.5, '1001', `RES-${sid}`),
        started(t + 31, sid),
        tick(t + 36),
        alive(t + 36, 5, sid),
      );
      t += 100;
    }
    const three = await replayTrace(lines);
    expect(three.r()).toMatchObject({ state: 'recording', sid: 'S4', restarts: 3 });
    const run = await replayTrace([...lines, note(t, 11, 0, { exitStatus: 1 }, { sid: 'S4' })]);
    expect(run.r()).toMatchObject({
      state: 'failed',
      quitReason: 'restartBudgetExhausted',
      restarts: 3,
    });
  });

  it('a start failing with 50x retries after 3, 6, 9 s, then counts as failed: the other uid', async () => {
    const lines: Line[] = [
      start(0),
      startFailed(1, 503, {}),
      tick(4),
      startFailed(5, 500, { code: 500 }),
      tick(11),
      startFailed(12, null, null),
      tick(21),
    ];
    const three = await replayTrace(lines);
    expect([1, 3, 5].map((i) => three.wakeAfter(i))).toEqual([4, 11, 21]);
    expect(startUids(three)).toEqual(['1001', '1001', '1001', '1001']);
    const run = await replayTrace([...lines, startFailed(22, 504, { code: 62 })]);
    expect(run.r()).toMatchObject({ state: 'restarting', quitReason: 'notStarted', restarts: 1 });
    expect(startUids(run).at(-1)).toBe('1002');
  });
});

describe('rule 7: the other uid whenever the previous recorder may still be in the channel', () => {
  const lost = [...live(), ...[66, 71, 81, 96, 126, 161].flatMap((s) => [tick(s), notFound(s)])];

  it.each([
    ['lost', lost],
    ['failoverTimeout', [...live(), note(60, 12, 0, { newUid: 2002 }), tick(150)]],
    ['notStarted', [start(0), started(1), tick(91)]],
  ])('after %s: the backup uid', async (reason, lines) => {
    const run = await replayTrace(lines as Line[]);
    expect(run.r()).toMatchObject({ state: 'restarting', quitReason: reason });
    expect(startUids(run)).toEqual(['1001', '1002']);
  });

  it('after a quit Agora told of (exited): the primary uid again', async () => {
    const run = await replayTrace([...live(), note(100, 11, 0, { exitStatus: 0 })]);
    expect(startUids(run)).toEqual(['1001', '1001']);
  });

  it("a host's backupUid is the one used", async () => {
    const run = await replayTrace([start(0, { backupUid: '77' }), started(1), tick(91)]);
    expect(startUids(run)).toEqual(['1001', '77']);
  });

  it('alternates back to the primary after a second quit by absence', async () => {
    const run = await replayTrace([
      start(0),
      started(1),
      tick(91),
      startSent(91.5, '1002', 'RES-S2'),
      { ...started(92, 'S2'), uid: '1002' },
      tick(182),
      tick(200),
    ]);
    expect(startUids(run)).toEqual(['1001', '1002', '1001']);
  });
});
void at;

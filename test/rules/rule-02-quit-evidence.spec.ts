// Rule 2 (lifecycle-rules.md), clause by clause, through `recwatch replay --json`'s path.
import { describe, expect, it } from 'vitest';
import { alive, at, note, replayTrace, start, started, startSent, tick } from './trace.js';

/** An options record (rule 12) turning restarts off, so a quit is the resting state. */
const noRestart = { at: at(0), type: 'options', options: { recording: { restartBudget: 0 } } };
const live = () => [noRestart, start(0), started(1), tick(6), alive(6, 5)];

describe('rule 2: quit evidence for the current sid', () => {
  it.each([
    ['11 exitStatus 0', 'exited', note(100, 11, 0, { exitStatus: 0 })],
    ['11 exitStatus "0"', 'exited', note(100, 11, 0, { exitStatus: '0' })],
    ['11 exitStatus 1', 'abnormalExit', note(100, 11, 0, { exitStatus: 1 })],
    ['11 exitStatus "1"', 'abnormalExit', note(100, 11, 0, { exitStatus: '1' })],
    ['31 uploaded', 'uploaded', note(100, 31, 0, { status: 0, fileList: [] })],
    ['32 backuped', 'uploaded', note(100, 32, 0, { status: 0 })],
    [
      '31 with uploadingStatus stranded',
      'uploaded',
      note(100, 31, 0, { uploadingStatus: 'stranded' }),
    ],
    ['41 leaveCode 4', 'idle', note(100, 41, 0, { leaveCode: 4 })],
    ['41 leaveCode "4"', 'idle', note(100, 41, 0, { leaveCode: '4' })],
    ['41 leaveCode 4|16', 'idle', note(100, 41, 0, { leaveCode: 20 })],
    ['41 leaveCode 4|2', 'idle', note(100, 41, 0, { leaveCode: 6 })],
    [
      '71 code 4',
      'webRecorderStopped',
      note(100, 71, 0, { code: 4, message: 'page_load_timeout' }),
    ],
    ['71 code "6"', 'webRecorderStopped', note(100, 71, 0, { code: '6' })],
    ['71 code 1', 'maxRecordingHour', note(100, 71, 0, { code: 1, message: 'max_recording_hour' })],
    ['71 code "1"', 'maxRecordingHour', note(100, 71, 0, { code: '1' })],
    ['72', 'webRecorderStopped', note(100, 72, 0, { limitType: 'duration' })],
    ['query status 6', 'exited', alive(100, 6)],
    ['query status 7', 'exited', alive(100, 7)],
    ['query status 8', 'exited', alive(100, 8)],
    ['query status "8"', 'exited', alive(100, '8')],
    ['query status 20', 'abnormalExit', alive(100, 20)],
  ])('%s ⇒ quit %s', async (_n, reason, evidence) => {
    const run = await replayTrace([...live(), evidence]);
    expect(run.r()).toMatchObject({ state: 'quit', quitReason: reason });
    expect(run.events('quit')).toEqual([
      { kind: 'event', recording: 'r1', type: 'quit', sid: 'S1', reason },
    ]);
  });

  it.each([
    ['41 leaveCode 0 (init failed)', 0],
    ['41 leaveCode 2 (SIGINT)', 2],
    ['41 leaveCode 8', 8],
    ['41 leaveCode 16 (client leave)', 16],
  ])('%s is ambiguous: no quit, a query at once', async (_n, leaveCode) => {
    const run = await replayTrace([...live(), note(100, 41, 0, { leaveCode })]);
    expect(run.r().state).toBe('recording');
    expect(run.effects('query').at(-1)).toMatchObject({ priority: 'urgent', sid: 'S1' });
    expect(run.outputs.at(-1)).toMatchObject({ type: 'wakeAt' });
  });

  it('71 code 0 is not quit evidence', async () => {
    const run = await replayTrace([...live(), note(100, 71, 0, { code: 0 })]);
    expect(run.r().state).toBe('recording');
  });

  it('events after a quit do not revive it: 43/44, life events, a late 31 after 11', async () => {
    const run = await replayTrace([
      ...live(),
      note(100, 11, 5, { exitStatus: 0 }),
      note(101, 43, 6, { streamUid: 9, state: 1 }),
      note(102, 44, 7, { streamUid: 9, state: 1 }),
      note(103, 33, 8, { progress: 10000 }),
      note(104, 40, 9, {}),
      note(105, 31, 10, { status: 0 }),
      tick(300),
    ]);
    expect(run.r()).toMatchObject({ state: 'quit', quitReason: 'exited', restarts: 0 });
  });

  it('with restarts on, the quit reason of the first evidence stays: a late 31 is stale', async () => {
    const run = await replayTrace([
      start(0),
      started(1),
      alive(6, 5),
      note(100, 11, 0, { exitStatus: 1 }),
      startSent(100.5, '1001', 'RES-S2'),
      started(101, 'S2'),
      note(102, 31, 1, { status: 0 }),
    ]);
    expect(run.r()).toMatchObject({ state: 'starting', sid: 'S2', restarts: 1 });
    expect(run.decisions.at(-1)).toMatchObject({ decision: 'stale' });
    expect(run.events('quit')).toHaveLength(1);
  });
});

describe('rule 2: legacy callbacks (before REST API 1.3.0)', () => {
  const legacy = (
    s: number,
    eventType: number,
    sequence: string,
    details: Record<string, unknown>,
  ) => ({
    at: at(s),
    type: 'notification',
    body: {
      notificationId: `l-${sequence}`,
      eventType,
      eventMs: at(s) - 20,
      noticeLevel: 3,
      payload: { cname: 'room1', uid: '1001', sid: 'S1', sequence, serviceType: 0, details },
    },
  });

  it('a legacy 41 with code 2 (no user but the recorder) is idle', async () => {
    const run = await replayTrace([...live(), legacy(100, 41, '0', { leaveCode: 2 })]);
    expect(run.r()).toMatchObject({ state: 'quit', quitReason: 'idle' });
  });

  it.each([0, 1, 4, 8])('a legacy 41 with code %i only prompts a query', async (leaveCode) => {
    const run = await replayTrace([...live(), legacy(100, 41, '0', { leaveCode })]);
    expect(run.r().state).toBe('recording');
    expect(run.effects('query').at(-1)).toMatchObject({ priority: 'urgent' });
  });

  it('a legacy 40 with a string sequence and eventMs only is life', async () => {
    const run = await replayTrace([
      noRestart,
      start(0),
      started(1),
      legacy(3, 40, '0', { msgName: 'recorder_started' }),
    ]);
    expect(run.decisions.filter((d) => d.decision === 'rejected')).toEqual([]);
    expect(run.r().state).toBe('recording');
  });
});

describe('rule 2 with rule 9: an idle exit as Agora sends it (41 leaveCode 4, 11, 31)', () => {
  it('quits idle and is not restarted, whatever order the three arrive in', async () => {
    const leave = note(300, 41, 5, { leaveCode: 4 }, { sentAt: 299.0 });
    const exit = note(300.1, 11, 6, { exitStatus: 0 }, { sentAt: 299.1 });
    const uploaded = note(300.2, 31, 7, { status: 0 }, { sentAt: 299.2 });
    for (const order of [
      [leave, exit, uploaded],
      [exit, leave, uploaded],
      [uploaded, exit, leave],
    ]) {
      const run = await replayTrace([
        start(0),
        started(1),
        tick(6),
        alive(6, 5),
        note(10, 40, 0),
        ...order,
        tick(303),
        tick(600),
      ]);
      expect(run.r()).toMatchObject({ state: 'quit', quitReason: 'idle', restarts: 0 });
    }
  });
});

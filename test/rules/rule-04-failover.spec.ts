// Rule 4 (lifecycle-rules.md), clause by clause, through `recwatch replay --json`'s path.
import { describe, expect, it } from 'vitest';
import {
  alive,
  answered,
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

describe('rule 4: event 12', () => {
  it.each([2002, '2002'])(
    'moves to failoverPending, haAttempts 1, uid newUid (%j), bak0_',
    async (newUid) => {
      const run = await replayTrace([...live(), note(60, 12, 0, { newUid })]);
      expect(run.r()).toMatchObject({
        state: 'failoverPending',
        sid: 'S1',
        uid: '2002',
        haAttempts: 1,
        filePrefix: 'bak0_',
      });
      expect(run.events('failover')).toHaveLength(1);
    },
  );

  it.each([
    ['a 40 from the new uid', note(70, 40, 0, {}, { uid: '2002' })],
    ['a 43 from the new uid', note(70, 43, 0, { streamUid: 5, state: 0 }, { uid: 2002 })],
    ['a query 200 status 5', alive(70, 5)],
  ])('evidence of life after it (%s) ⇒ recording', async (_n, life) => {
    const run = await replayTrace([...live(), note(60, 12, 0, { newUid: 2002 }), life]);
    expect(run.r()).toMatchObject({ state: 'recording', uid: '2002', haAttempts: 1 });
  });

  it('a notification from the old uid is not life', async () => {
    const run = await replayTrace([
      ...live(),
      note(60, 12, 0, { newUid: 2002 }),
      note(61, 43, 1, { streamUid: 5, state: 1 }),
    ]);
    expect(run.r().state).toBe('failoverPending');
  });

  it('no life within 90 s ⇒ failoverTimeout; the sid does not change', async () => {
    const inputs = [...live(), note(60, 12, 0, { newUid: 2002 }), tick(75), notFound(75)];
    expect((await replayTrace([...inputs, tick(149.9)])).r().state).toBe('failoverPending');
    const run = await replayTrace([...inputs, tick(150)]);
    expect(run.r()).toMatchObject({ state: 'quit', quitReason: 'failoverTimeout', sid: 'S1' });
  });

  it('bak0_, bak1_, bak2_, then a 4th failover ⇒ haExhausted', async () => {
    const three: Line[] = [
      ...live(),
      note(60, 12, 0, { newUid: 2001 }),
      note(65, 40, 0, {}, { uid: '2001' }),
      note(100, 12, 1, { newUid: 2002 }, { uid: '2001' }),
      note(105, 40, 0, {}, { uid: '2002' }),
      note(200, 12, 1, { newUid: 2003 }, { uid: '2002' }),
      note(205, 40, 0, {}, { uid: '2003' }),
    ];
    const run3 = await replayTrace(three);
    expect(run3.r()).toMatchObject({
      state: 'recording',
      haAttempts: 3,
      filePrefix: 'bak2_',
      uid: '2003',
    });
    const run4 = await replayTrace([...three, note(300, 12, 1, { newUid: 2004 }, { uid: '2003' })]);
    expect(run4.r()).toMatchObject({ state: 'quit', quitReason: 'haExhausted' });
  });

  it('haExhausted is restarted by the default policy', async () => {
    const run = await replayTrace([
      start(0),
      started(1),
      alive(6, 5),
      note(60, 12, 0, { newUid: 2001 }),
      note(100, 12, 0, { newUid: 2002 }, { uid: '2001' }),
      note(200, 12, 0, { newUid: 2003 }, { uid: '2002' }),
      note(300, 12, 0, { newUid: 2004 }, { uid: '2003' }),
    ]);
    expect(run.r()).toMatchObject({ state: 'restarting', quitReason: 'haExhausted', restarts: 1 });
  });
});

describe('rule 4: the failover count stays right when a 12 is lost or late', () => {
  it('a late 12 (after a query showed life) counts but does not move the state back', async () => {
    const run = await replayTrace([
      ...live(),
      tick(66),
      alive(66, 5),
      note(67, 12, 0, { newUid: 2002 }, { sentAt: 60 }),
    ]);
    expect(run.r()).toMatchObject({
      state: 'recording',
      haAttempts: 1,
      uid: '2002',
      filePrefix: 'bak0_',
    });
  });

  it.each([
    ['a string fileList', { status: 5, fileListMode: 'string', fileList: 'bak1_S1_room1.m3u8' }],
    [
      'a json fileList',
      {
        status: 5,
        fileListMode: 'json',
        fileList: [
          {
            fileName: 'bak1_S1_room1_uid_s_1__uid_e_av.m3u8',
            trackType: 'audio_and_video',
            uid: '7',
            mixedAllUser: 'true',
            isPlayable: 'true',
            sliceStartTime: '1700000000000',
          },
        ],
      },
    ],
    [
      "a web recorder's fileList (filename)",
      {
        status: 5,
        extensionServiceState: [
          {
            serviceName: 'web_recorder_service',
            payload: {
              state: 'inProgress',
              fileList: [{ filename: 'bak1_S1_room1_0.mp4', sliceStartTime: 1700000000000 }],
            },
          },
        ],
      },
    ],
  ])('a bak1_ prefix in %s of a query ⇒ 2 failovers', async (_n, serverResponse) => {
    const run = await replayTrace([...live(), tick(66), answered(66, serverResponse)]);
    expect(run.r()).toMatchObject({ state: 'recording', haAttempts: 2, filePrefix: 'bak1_' });
  });

  it.each([
    ['a 4 fileList (string)', note(70, 4, 0, { fileList: 'bak2_S1_room1.m3u8' })],
    [
      'a 31 fileList (array)',
      note(70, 31, 0, { status: 0, fileList: [{ fileName: 'bak2_S1_room1.m3u8' }] }),
    ],
  ])('a bak2_ prefix in %s ⇒ 3 failovers', async (_n, news) => {
    const run = await replayTrace([...live(), news]);
    expect(run.r()).toMatchObject({ haAttempts: 3, filePrefix: 'bak2_' });
  });

  it('a recorder uid never seen on the sid ⇒ a failover, and life, with the latest uid', async () => {
    const run = await replayTrace([...live(), note(70, 40, 0, {}, { uid: '3003' })]);
    expect(run.r()).toMatchObject({
      state: 'recording',
      haAttempts: 1,
      uid: '3003',
      filePrefix: 'bak0_',
    });
  });

  it('takes the highest count, not the sum: a prefix then the late 12 of the same failover', async () => {
    const run = await replayTrace([
      ...live(),
      tick(66),
      answered(66, { status: 5, fileList: 'bak0_S1_room1.m3u8' }),
      note(67, 12, 0, { newUid: 2002 }, { sentAt: 60 }),
    ]);
    expect(run.r()).toMatchObject({ haAttempts: 1, uid: '2002', filePrefix: 'bak0_' });
  });
});

describe('rule 4 while starting', () => {
  it('a 12 before any life: failoverPending, then the new recorder’s life is recording', async () => {
    const run = await replayTrace([
      start(0),
      started(1),
      note(3, 12, 0, { newUid: 2002 }),
      note(20, 40, 0, {}, { uid: '2002' }),
    ]);
    expect(run.r()).toMatchObject({
      state: 'recording',
      uid: '2002',
      haAttempts: 1,
      filePrefix: 'bak0_',
    });
  });
});

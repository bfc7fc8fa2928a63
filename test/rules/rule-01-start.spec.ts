// Rule 1 (lifecycle-rules.md), clause by clause, through `recwatch replay --json`'s path.
import { describe, expect, it } from 'vitest';
import {
  alive,
  answered,
  note,
  notFound,
  query,
  replayTrace,
  start,
  started,
  startUids,
  tick,
} from './trace.js';

const web = (state: string, extra: Record<string, unknown> = {}, status: unknown = 0) => ({
  status,
  extensionServiceState: [
    { serviceName: 'web_recorder_service', payload: { state, ...extra } },
    { serviceName: 'rtmp_publish_service', payload: { outputs: [] } },
  ],
});

describe('rule 1: evidence of life', () => {
  it.each([4, 5, '4', '5', ' 5 '])('a query 200 with status %j is life', async (status) => {
    const run = await replayTrace([start(0), started(1), tick(6), alive(6, status)]);
    expect(run.r().state).toBe('recording');
    expect(run.events('started')).toHaveLength(1);
  });

  it.each([0, 1, 2, 3, '3'])('a query 200 with status %j is still starting', async (status) => {
    const run = await replayTrace([start(0), started(1), tick(6), alive(6, status)]);
    expect(run.r().state).toBe('starting');
  });

  it.each([30, 40, 42, 70, 13])('notification %i is life', async (eventType) => {
    const run = await replayTrace([start(0), started(1), note(2, eventType, 0)]);
    expect(run.r().state).toBe('recording');
  });

  it.each([2, 3, 4, 33, 43, 44, 45, 73, 100])('notification %i is not life', async (eventType) => {
    const run = await replayTrace([start(0), started(1), note(2, eventType, 0)]);
    expect(run.r().state).toBe('starting');
  });

  it('a notification from a recorder uid never seen on the sid after a failover is life', async () => {
    const run = await replayTrace([
      start(0),
      started(1),
      alive(6, 5),
      note(10, 12, 0, { newUid: 555 }),
      note(20, 43, 1, { streamUid: 7, state: 0 }, { uid: 555 }),
    ]);
    expect(run.r()).toMatchObject({ state: 'recording', uid: '555', haAttempts: 1 });
  });
});

describe('rule 1: a web page recording is witnessed by its web recorder', () => {
  it('status 0..3 with web_recorder_service inProgress is alive', async () => {
    const run = await replayTrace([
      start(0, { mode: 'web' }),
      started(1),
      tick(6),
      answered(6, web('inProgress', {}, 2)),
    ]);
    expect(run.r().state).toBe('recording');
  });

  it('status 0 with inProgress and onhold: true (paused by the host) is alive: no second recorder', async () => {
    const run = await replayTrace([
      start(0, { mode: 'web' }),
      started(1),
      tick(6),
      answered(6, web('inProgress', { onhold: true, fileList: [] })),
      tick(91),
      tick(200),
    ]);
    expect(run.r()).toMatchObject({ state: 'recording', restarts: 0, quitReason: null });
    expect(run.effects('acquireAndStart')).toHaveLength(1);
  });

  it.each([
    ['"true"', 'true'],
    ['1', 1],
  ])('onhold %s (as text or number) reads too', async (_n, onhold) => {
    const run = await replayTrace([
      start(0, { mode: 'web' }),
      started(1),
      tick(6),
      answered(6, web('inProgress', { onhold })),
    ]);
    expect(run.r().state).toBe('recording');
  });

  it('a web recorder with only its state (no status) in progress is alive', async () => {
    const run = await replayTrace([
      start(0, { mode: 'web' }),
      started(1),
      tick(6),
      answered(6, {
        extensionServiceState: [
          { serviceName: 'web_recorder_service', payload: { state: 'inProgress' } },
        ],
      }),
    ]);
    expect(run.r().state).toBe('recording');
  });

  it("reads Agora's `playload` spelling of the service payload", async () => {
    const run = await replayTrace([
      start(0, { mode: 'web' }),
      started(1),
      tick(6),
      answered(6, {
        status: 0,
        extensionServiceState: [
          { serviceName: 'web_recorder_service', playload: { state: 'inProgress', onhold: true } },
        ],
      }),
    ]);
    expect(run.r().state).toBe('recording');
  });

  it('status 0 with state init is still starting', async () => {
    const run = await replayTrace([
      start(0, { mode: 'web' }),
      started(1),
      tick(6),
      answered(6, web('init')),
    ]);
    expect(run.r().state).toBe('starting');
  });
});

describe('rule 1: modes', () => {
  it.each(['mix', 'individual', 'web', 'raw', 'composite_v3'])(
    'mode %s is supervised (an unknown one is kept, not refused)',
    async (mode) => {
      const run = await replayTrace([start(0, { mode }), started(1), tick(6), alive(6, 5)]);
      expect(run.problems).toEqual([]);
      expect(run.decisions.filter((d) => d.decision === 'rejected')).toEqual([]);
      expect(run.r().state).toBe('recording');
      expect(run.effects('acquireAndStart')[0]).toMatchObject({ mode });
    },
  );

  it('raw mode: notifications with serviceScene rtsc/raw-recording read as any other', async () => {
    const scene = { payload: { serviceScene: 'rtsc/raw-recording' } };
    const run = await replayTrace([
      start(0, { mode: 'raw' }),
      started(1),
      note(2, 40, 0, { status: 0 }, scene),
      note(300, 11, 1, { exitStatus: 0 }, scene),
    ]);
    expect(run.decisions.filter((d) => d.decision !== 'applied')).toEqual([]);
    expect(run.r()).toMatchObject({ state: 'restarting', quitReason: 'exited' });
  });

  it('serviceScene on the envelope, or as the older rtc_record, reads too', async () => {
    const run = await replayTrace([
      start(0, { mode: 'raw' }),
      started(1),
      note(2, 40, 0, {}, { top: { serviceScene: 'rtsc/raw-recording' } }),
      note(3, 30, 1, {}, { payload: { serviceScene: 'rtc_record' } }),
    ]);
    expect(run.decisions.filter((d) => d.decision !== 'applied')).toEqual([]);
    expect(run.r().state).toBe('recording');
  });
});

describe('rule 1: no evidence 90 s after the sid is known ⇒ quit notStarted', () => {
  it('counts the 90 s from the sid, not from the start', async () => {
    const before = await replayTrace([start(0), started(10), tick(15), alive(15, 2), tick(99)]);
    expect(before.r().state).toBe('starting');
    const after = await replayTrace([start(0), started(10), tick(15), alive(15, 2), tick(100)]);
    expect(after.r()).toMatchObject({ state: 'restarting', quitReason: 'notStarted', restarts: 1 });
    // notStarted is a quit known by absence: the restart takes the other uid (rule 7).
    expect(startUids(after)).toEqual(['1001', '1002']);
  });

  it('a query 404 while starting backs off 5, 10, 15 s, then counts as not started', async () => {
    const probing = await replayTrace([
      start(0),
      started(1),
      tick(6),
      notFound(6),
      tick(11),
      notFound(11),
      tick(21),
      notFound(21),
    ]);
    expect(probing.r().state).toBe('starting');
    const wakes = probing.effects('wakeAt').map((o) => (o as unknown as { at: number }).at);
    expect(wakes).toEqual(expect.arrayContaining([at(11), at(21), at(36)]));
    const done = await replayTrace([
      start(0),
      started(1),
      tick(6),
      notFound(6),
      tick(11),
      notFound(11),
      tick(21),
      notFound(21),
      tick(36),
      notFound(36),
    ]);
    expect(done.r()).toMatchObject({ state: 'restarting', quitReason: 'notStarted' });
  });
});

describe('rule 1: notStarted needs an answer', () => {
  const unanswered = [
    ['429', 429, { message: 'API rate limit exceeded' }],
    ['503', 503, { message: 'service unavailable' }],
    ['504 code 62', 504, { code: 62, reason: 'request timeout' }],
    ['206 code 65', 206, { code: 65, reason: 'request not completed' }],
    ['no response', null, null],
  ] as const;

  it.each(unanswered)(
    'every query answered %s: the deadline leaves it starting',
    async (_n, status, body) => {
      const run = await replayTrace([
        start(0),
        started(1),
        tick(6),
        query(6, status, body),
        tick(20),
        query(20, status, body),
        tick(91),
        tick(95),
      ]);
      expect(run.r()).toMatchObject({ state: 'starting', quitReason: null, uncertain: true });
      expect(run.effects('acquireAndStart')).toHaveLength(1);
    },
  );

  it('429 then 503 then no response, mixed: still starting past the deadline', async () => {
    const run = await replayTrace([
      start(0),
      started(1),
      tick(6),
      query(6, 429, { message: 'API rate limit exceeded' }),
      tick(20),
      query(20, 503, {}),
      tick(50),
      query(50, null, null),
      tick(91),
    ]);
    expect(run.r().state).toBe('starting');
  });

  it.each([
    ['a 200 with status 5', alive(120, 5), 'recording', null],
    ['a 200 with status 2', alive(120, 2), 'restarting', 'notStarted'],
    ['a 404', notFound(120), 'restarting', 'notStarted'],
  ] as const)('then the first answered query decides: %s', async (_n, answer, state, reason) => {
    const run = await replayTrace([
      start(0),
      started(1),
      tick(6),
      query(6, 429, { message: 'API rate limit exceeded' }),
      tick(91),
      query(100, 503, {}),
      answer,
    ]);
    expect(run.r()).toMatchObject({ state, quitReason: reason });
  });

  it('one answered query (status 2) is enough: the deadline quits notStarted', async () => {
    const run = await replayTrace([
      start(0),
      started(1),
      tick(6),
      alive(6, 2),
      tick(16),
      query(16, 429, { message: 'API rate limit exceeded' }),
      tick(91),
    ]);
    expect(run.r()).toMatchObject({ state: 'restarting', quitReason: 'notStarted' });
  });

  it('no query tried at all: the deadline quits notStarted', async () => {
    const run = await replayTrace([start(0), started(1), tick(91)]);
    expect(run.r()).toMatchObject({ state: 'restarting', quitReason: 'notStarted' });
  });
});

import { at } from './trace.js';

// Rule 10 (lifecycle-rules.md), clause by clause, through `recwatch replay --json`'s path.
import { describe, expect, it } from 'vitest';
import {
  alive,
  at,
  type Line,
  note,
  notFound,
  query,
  replayTrace,
  start,
  started,
  stop,
  stopResult,
  tick,
} from './trace.js';

const live = (): Line[] => [start(0), started(1), tick(6), alive(6, 5)];
const ok = {
  cname: 'room1',
  uid: '1001',
  resourceId: 'RES-S1',
  sid: 'S1',
  serverResponse: {
    fileListMode: 'string',
    fileList: 'S1_room1.m3u8',
    uploadingStatus: 'uploaded',
  },
};

describe('rule 10: host stop', () => {
  it('stop ⇒ stopping with a stop effect', async () => {
    const run = await replayTrace([...live(), stop(30)]);
    expect(run.r().state).toBe('stopping');
    expect(run.effects('stop')).toEqual([
      expect.objectContaining({ sid: 'S1', resourceId: 'RES-S1', uid: '1001' }),
    ]);
  });

  it.each([
    ['a stop 200', stopResult(31, 200, ok)],
    [
      'a stop 200 with uploadingStatus stranded',
      stopResult(31, 200, { ...ok, serverResponse: { uploadingStatus: 'stranded' } }),
    ],
    ['a stop 200 with no body', stopResult(31, 200, null)],
    ['a stop 404', stopResult(31, 404, { code: 404, reason: 'failed to find worker' })],
    ['a stop 400 code 49 (already exiting)', stopResult(31, 400, { code: 49 })],
    [
      'a stop 206 code 435 (nothing recorded)',
      stopResult(31, 206, { code: 435, reason: 'no recorded data' }),
    ],
    ['an 11', note(31, 11, 0, { exitStatus: 0 })],
    ['a 31', note(31, 31, 0, {})],
    ['an idle 41', note(31, 41, 0, { leaveCode: 4 })],
    ['a query 404', notFound(31)],
    ['a query status 8', alive(31, 8)],
  ])('is stopped on %s, with quitReason stopped', async (_n, settle) => {
    const run = await replayTrace([...live(), stop(30), settle]);
    expect(run.r()).toMatchObject({ state: 'stopped', quitReason: 'stopped' });
  });

  it('is never restarted, whatever comes after', async () => {
    const run = await replayTrace([
      ...live(),
      stop(30),
      stopResult(31, 200, ok),
      note(40, 11, 0, { exitStatus: 1 }),
      note(41, 40, 1, {}),
      tick(3000),
    ]);
    expect(run.r()).toMatchObject({ state: 'stopped', restarts: 0 });
    expect(run.effects('acquireAndStart')).toHaveLength(1);
  });

  it('a stop answered 50x or not at all is checked with a query, and sent again if alive', async () => {
    const run = await replayTrace([
      ...live(),
      stop(30),
      stopResult(50, null, null),
      tick(55),
      alive(55, 5),
    ]);
    expect(run.r().state).toBe('stopping');
    expect(run.effects('stop')).toHaveLength(2);
  });
});

describe('rule 10: while a failover may be under way, a stop 404 is not proof', () => {
  const stop404 = (s: number) => stopResult(s, 404, { code: 404, reason: 'failed to find worker' });

  it.each([
    ['a 12', note(20, 12, 0, { newUid: 2002 })],
    ['a fatal error', note(20, 1, 0, { errorLevel: 5 })],
    ['an ambiguous 41', note(20, 41, 0, { leaveCode: 2 })],
  ])('after %s: stays stopping, is queried, and sends the stop again on life', async (_n, hint) => {
    const lines = [...live(), hint, stop(30), stop404(31)];
    const pending = await replayTrace(lines);
    expect(pending.r()).toMatchObject({ state: 'stopping', quitReason: null });
    const life = await replayTrace([
      ...lines,
      tick(56),
      notFound(56),
      note(70, 40, 0, {}, { uid: '3003' }),
    ]);
    expect(life.r().state).toBe('stopping');
    expect(life.effects('stop')).toHaveLength(2);
    const byQuery = await replayTrace([...lines, tick(56), alive(56, 5)]);
    expect(byQuery.effects('stop')).toHaveLength(2);
    const quit = await replayTrace([...lines, note(70, 11, 1, { exitStatus: 0 }, { uid: '3003' })]);
    expect(quit.r()).toMatchObject({ state: 'stopped', quitReason: 'stopped' });
  });

  it('is stopped once the failover deadline passes with nothing but 404s', async () => {
    const run = await replayTrace([
      ...live(),
      note(20, 1, 0, { errorLevel: 5 }),
      stop(30),
      stop404(31),
      tick(56),
      notFound(56),
      tick(80),
      notFound(80),
      tick(110),
      notFound(110.2),
    ]);
    expect(run.r()).toMatchObject({ state: 'stopped', quitReason: 'stopped' });
  });

  it('a stop 404 is proof when the hint is older than the failover window', async () => {
    const run = await replayTrace([
      ...live(),
      note(20, 1, 0, { errorLevel: 5 }),
      tick(200),
      stop(200),
      stop404(201),
    ]);
    expect(run.r().state).toBe('stopped');
  });
});

describe('rule 10: a stop refused otherwise keeps the recording supervised', () => {
  it.each([
    ['401', 401, { message: 'Invalid authentication credentials' }],
    ['400 code 2', 400, { code: 2, reason: 'invalid parameter' }],
  ])(
    '%s: a configurationError, still stopping, queried; quit evidence stops it',
    async (_n, status, body) => {
      const lines = [...live(), stop(30), stopResult(31, status, body)];
      const refused = await replayTrace(lines);
      expect(refused.r()).toMatchObject({ state: 'stopping', quitReason: null });
      expect(refused.events('configurationError')).toEqual([
        expect.objectContaining({ operation: 'stop', httpStatus: status }),
      ]);
      const again = await replayTrace([...lines, stop(100)]);
      expect(again.effects('stop')).toHaveLength(2);
      const ended = await replayTrace([
        ...lines,
        tick(91),
        alive(91, 5),
        note(120, 11, 0, { exitStatus: 0 }),
      ]);
      expect(ended.r()).toMatchObject({ state: 'stopped', quitReason: 'stopped', restarts: 0 });
    },
  );

  it('a 404 query after the refusal stops it', async () => {
    const run = await replayTrace([
      ...live(),
      stop(30),
      stopResult(31, 401, {}),
      tick(91),
      query(91, 404, { code: 404 }),
    ]);
    expect(run.r().state).toBe('stopped');
  });
});
void at;

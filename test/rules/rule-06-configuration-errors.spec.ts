// Rule 6 (lifecycle-rules.md), clause by clause, through `recwatch replay --json`'s path.
import { describe, expect, it } from 'vitest';
import {
  alive,
  at,
  type Line,
  note,
  query,
  replayTrace,
  start,
  started,
  startFailed,
  startUids,
  tick,
} from './trace.js';

const live = (): Line[] => [start(0), started(1), tick(6), alive(6, 5)];

describe('rule 6: other 40x on query ⇒ failed, configuration', () => {
  it.each([
    ['400 code 2', 400, { code: 2, reason: 'invalid parameter' }],
    ['400 gateway message', 400, { message: 'bad request' }],
    ['401', 401, { message: 'Invalid authentication credentials' }],
    ['403', 403, { message: 'forbidden' }],
    ['route 404 (no code)', 404, { message: 'no Route matched with those values' }],
    ['404 with an empty body', 404, {}],
  ])('%s', async (_n, status, body) => {
    const run = await replayTrace([...live(), tick(66), query(66, status, body), tick(300)]);
    expect(run.r()).toMatchObject({ state: 'failed', quitReason: 'configuration', restarts: 0 });
    expect(run.effects('acquireAndStart')).toHaveLength(1);
  });

  it('while starting too', async () => {
    const run = await replayTrace([
      start(0),
      started(1),
      tick(6),
      query(6, 401, { message: 'unauthorized' }),
    ]);
    expect(run.r()).toMatchObject({ state: 'failed', quitReason: 'configuration' });
  });

  it('on start: 401 and 400 code 2 are configuration errors', async () => {
    for (const [status, body] of [
      [401, { message: 'unauthorized' }],
      [400, { code: 2, reason: 'invalid parameter' }],
    ] as const) {
      const run = await replayTrace([start(0), startFailed(1, status, body)]);
      expect(run.r()).toMatchObject({ state: 'failed', quitReason: 'configuration' });
    }
  });
});

describe('rule 6: a start answered "already running" is not a configuration error (rule 11)', () => {
  it.each([
    ['201 code 7', 201, { code: 7, reason: 'already started' }],
    ['400 code 7', 400, { code: 7 }],
    ['400 code 53 (task conflict)', 400, { code: 53, reason: 'task conflict' }],
    ['400 code 1004', 400, { code: 1004 }],
    ['400 code "53" as text', 400, { code: '53' }],
  ])('%s: the recorder its notifications name is adopted', async (_n, status, body) => {
    const run = await replayTrace([
      start(0),
      { at: at(0.5), type: 'startSent', recording: 'r1', resourceId: 'RES-1', uid: '1001' },
      startFailed(1, status, body),
      note(3, 40, 0, {}, { sid: 'S9', uid: '1001', cname: 'room1' }),
    ]);
    expect(run.r()).toMatchObject({ state: 'recording', sid: 'S9', uid: '1001', quitReason: null });
    expect(run.events('adopted')).toHaveLength(1);
  });

  it.each([
    ['201 code 7', 201, { code: 7 }],
    ['400 code 53', 400, { code: 53 }],
  ])(
    '%s with no sign of the recorder: started again with the other uid',
    async (_n, status, body) => {
      const run = await replayTrace([
        start(0),
        { at: at(0.5), type: 'startSent', recording: 'r1', resourceId: 'RES-1', uid: '1001' },
        startFailed(1, status, body),
        tick(31),
        tick(60),
      ]);
      expect(run.r().state).not.toBe('failed');
      expect(startUids(run)).toEqual(['1001', '1002']);
    },
  );
});

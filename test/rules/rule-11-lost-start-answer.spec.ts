// Rule 11 (lifecycle-rules.md), clause by clause, through `recwatch replay --json`'s path.
import { describe, expect, it } from 'vitest';
import {
  alive,
  decisionAt,
  type Line,
  note,
  replayTrace,
  start,
  started,
  startFailed,
  startSent,
  startUids,
  tick,
} from './trace.js';

const sent = (): Line[] => [start(0), startSent(0.5, '1001', 'RES-1')];
const unanswered = [
  ['no response', null, null],
  ['a 504 code 62', 504, { code: 62, reason: 'request timeout' }],
  ['a 500', 500, {}],
  ['206 code 65', 206, { code: 65, reason: 'request not completed' }],
] as const;

describe('rule 11: a start whose answer was lost is settling', () => {
  it.each(unanswered)(
    'after %s: nothing is sent again within the settle window',
    async (_n, status, body) => {
      const run = await replayTrace([
        ...sent(),
        startFailed(10, status, body),
        tick(13),
        tick(20),
        tick(39.9),
      ]);
      expect(run.r()).toMatchObject({ state: 'starting', sid: null });
      expect(run.effects('acquireAndStart')).toHaveLength(1);
      expect(run.effects('start')).toHaveLength(1);
    },
  );

  it.each(unanswered)(
    'after %s: the session its notifications name (cname and uid) is adopted',
    async (_n, status, body) => {
      const run = await replayTrace([
        ...sent(),
        startFailed(10, status, body),
        note(12, 40, 0, {}, { sid: 'S7' }),
        tick(17),
        alive(17, 5, 'S7'),
      ]);
      expect(run.r()).toMatchObject({
        state: 'recording',
        sid: 'S7',
        uid: '1001',
        resourceId: 'RES-1',
      });
      expect(run.events('adopted')).toEqual([expect.objectContaining({ sid: 'S7', uid: '1001' })]);
      expect(startUids(run)).toEqual(['1001']);
    },
  );

  it('a notification that came before the failed answer (while the start was out) is adopted', async () => {
    const run = await replayTrace([
      ...sent(),
      note(3, 40, 0, {}, { sid: 'S7', uid: 1001 }),
      startFailed(10, null, null),
    ]);
    expect(run.r()).toMatchObject({ state: 'recording', sid: 'S7' });
  });

  it("a sid naming another uid, or another channel, is not the start's session", async () => {
    const run = await replayTrace([
      ...sent(),
      startFailed(10, null, null),
      note(12, 40, 0, {}, { sid: 'S7', uid: '9999' }),
      note(13, 40, 0, {}, { sid: 'S8', cname: 'other-room' }),
    ]);
    expect(run.r()).toMatchObject({ state: 'starting', sid: null });
    expect(decisionAt(run, 4)).toEqual(['held']);
  });

  it('the settle window (30 s) passes with no sign: the next attempt uses the other uid', async () => {
    const run = await replayTrace([...sent(), startFailed(10, null, null), tick(40)]);
    expect(startUids(run)).toEqual(['1001', '1002']);
    expect(run.r()).toMatchObject({ state: 'starting', quitReason: null });
  });

  it.each([
    ['201 code 7', 201, { code: 7 }],
    ['400 code 53', 400, { code: 53, reason: 'task conflict' }],
  ])(
    '"already running" (%s) is settled the same way: adopted by its notifications',
    async (_n, status, body) => {
      const run = await replayTrace([
        ...sent(),
        startFailed(2, status, body),
        note(3, 30, 4, {}, { sid: 'S7' }),
      ]);
      expect(run.r()).toMatchObject({ state: 'recording', sid: 'S7' });
    },
  );

  it('a later start answer for the same attempt is its session as usual', async () => {
    const run = await replayTrace([
      ...sent(),
      startFailed(10, null, null),
      startSent(40.5, '1002', 'RES-2'),
      started(41, 'S2', { uid: '1002', resourceId: 'RES-2' }),
    ]);
    expect(run.r()).toMatchObject({ sid: 'S2', uid: '1002' });
  });
});

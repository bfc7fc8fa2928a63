// Rule 8 (lifecycle-rules.md), clause by clause, through `recwatch replay --json`'s path.
import { describe, expect, it } from 'vitest';
import {
  alive,
  decisionAt,
  type Line,
  note,
  replayTrace,
  start,
  started,
  startSent,
  tick,
} from './trace.js';

const live = (): Line[] => [start(0), started(1), tick(6), alive(6, 5)];

describe('rule 8: copies are deduplicated before the machine', () => {
  it('a second copy (same sid, uid, eventType, sequence; new noticeId and notifyMs) is a duplicate', async () => {
    const first = note(100, 11, 3, { exitStatus: 1 }, { noticeId: 'a' });
    const copy = note(101, 11, 3, { exitStatus: 1 }, { noticeId: 'b' });
    const run = await replayTrace([...live(), note(10, 40, 2), first, copy]);
    expect(decisionAt(run, 7)).toEqual(['duplicate']);
    expect(run.events('quit')).toHaveLength(1);
    expect(run.r().restarts).toBe(1);
  });

  it('the same noticeId is a duplicate', async () => {
    const run = await replayTrace([
      ...live(),
      note(100, 40, 0, {}, { noticeId: 'same' }),
      note(101, 40, 0, {}, { noticeId: 'same', sentAt: 100 }),
    ]);
    expect(decisionAt(run, 6)).toEqual(['duplicate']);
  });

  it('a notification of a previous sid never changes the lifecycle (stale)', async () => {
    const run = await replayTrace([
      ...live(),
      note(100, 11, 0, { exitStatus: 0 }),
      startSent(100.5, '1001', 'RES-S2'),
      started(101, 'S2'),
      tick(106),
      alive(106, 5, 'S2'),
      note(110, 11, 1, { exitStatus: 1 }),
      note(111, 31, 2, {}),
      note(112, 41, 3, { leaveCode: 4 }),
    ]);
    expect([10, 11, 12].map((p) => decisionAt(run, p))).toEqual([['stale'], ['stale'], ['stale']]);
    expect(run.r()).toMatchObject({ state: 'recording', sid: 'S2', restarts: 1 });
  });

  it('sequence starting again from 0 for the new recorder uid: not a copy, not held', async () => {
    const run = await replayTrace([
      ...live(),
      note(10, 40, 0, {}),
      note(11, 30, 1, {}),
      note(60, 12, 2, { newUid: 2002 }),
      note(70, 40, 0, {}, { uid: '2002' }),
      note(71, 30, 1, {}, { uid: '2002' }),
      note(200, 11, 2, { exitStatus: 1 }, { uid: '2002' }),
    ]);
    expect(run.decisions.filter((d) => d.decision !== 'applied')).toEqual([]);
    expect(run.r()).toMatchObject({ quitReason: 'abnormalExit', haAttempts: 1 });
  });

  it('sequence counting on across the failover: not held, not a copy', async () => {
    const run = await replayTrace([
      ...live(),
      note(10, 40, 0, {}),
      note(60, 12, 1, { newUid: 2002 }),
      note(70, 40, 2, {}, { uid: '2002' }),
      note(200, 11, 3, { exitStatus: 1 }, { uid: '2002' }),
    ]);
    expect(run.decisions.filter((d) => d.decision !== 'applied')).toEqual([]);
    expect(run.r()).toMatchObject({ quitReason: 'abnormalExit' });
  });

  it('same sequence and type from two recorder uids are never copies of each other', async () => {
    const run = await replayTrace([
      ...live(),
      note(10, 40, 0, {}, { noticeId: 'x1' }),
      note(60, 12, 1, { newUid: 2002 }),
      note(70, 40, 0, {}, { uid: '2002', noticeId: 'x2' }),
    ]);
    expect(decisionAt(run, 7)).toEqual(['applied']);
    expect(run.r()).toMatchObject({ state: 'recording', uid: '2002' });
  });
});

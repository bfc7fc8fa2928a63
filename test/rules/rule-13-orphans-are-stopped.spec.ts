// Rule 13 (lifecycle-rules.md), clause by clause, through `recwatch replay --json`'s path.
import { describe, expect, it } from 'vitest';
import {
  type CoreOutput,
  createCore,
  deserializeCore,
  Replay,
  readTraceLine,
  serializeCore,
} from '../../src/core/index.js';
import {
  alive,
  at,
  decisionAt,
  type Line,
  note,
  replayTrace,
  start,
  started,
  startFailed,
  startSent,
  tick,
  traceText,
} from './trace.js';

/** S1 quit abnormally at 30 s; the restart made S2 (same uid: the quit was told). */
const moved = (): Line[] => [
  start(0),
  startSent(0.5, '1001', 'RES-S1'),
  started(1, 'S1', { resourceId: 'RES-S1' }),
  tick(6),
  alive(6, 5),
  note(30, 11, 0, { exitStatus: 1 }),
  startSent(30.5, '1001', 'RES-S2'),
  started(31, 'S2', { resourceId: 'RES-S2' }),
  tick(36),
  alive(36, 5, 'S2'),
];

describe('rule 13: a previous sid that shows life is stopped', () => {
  it.each([
    ['a 12', note(40, 12, 1, { newUid: 5005 })],
    ['a 40 from its recorder', note(40, 40, 1, {})],
    ['a 30', note(40, 30, 1, {})],
  ])(
    '%s: a stop with its own resourceId and uid, orphanStopped, the current session kept',
    async (_n, life) => {
      const run = await replayTrace([...moved(), life]);
      expect(run.effects('stop')).toEqual([
        expect.objectContaining({ sid: 'S1', resourceId: 'RES-S1', uid: '1001' }),
      ]);
      expect(run.events('orphanStopped')).toEqual([expect.objectContaining({ sid: 'S1' })]);
      expect(run.r()).toMatchObject({ state: 'recording', sid: 'S2', restarts: 1 });
    },
  );

  it('is stopped once, however often it speaks', async () => {
    const run = await replayTrace([
      ...moved(),
      note(40, 40, 1, {}),
      note(41, 30, 2, {}),
      note(42, 42, 3, {}),
    ]);
    expect(run.effects('stop')).toHaveLength(1);
  });

  it('a previous sid that only reports its end (31 after 11) is not stopped', async () => {
    const run = await replayTrace([
      ...moved(),
      note(40, 31, 1, {}),
      note(41, 33, 2, { progress: 10000 }),
    ]);
    expect(run.effects('stop')).toEqual([]);
  });

  it('the answer to the orphan’s stop says nothing of the current session', async () => {
    const run = await replayTrace([
      ...moved(),
      note(40, 40, 1, {}),
      {
        at: 1_700_000_041_000,
        type: 'stopResult',
        recording: 'r1',
        sid: 'S1',
        httpStatus: 404,
        body: { code: 404 },
      },
    ]);
    expect(run.r()).toMatchObject({ state: 'recording', sid: 'S2' });
  });
});

describe('rule 13: a query of a previous sid answering 4/5 is life of an orphan', () => {
  /** S1 was still starting when its deadline passed (status 2): notStarted, restarted as S2 on the backup uid. */
  const absent = (): Line[] => [
    start(0),
    startSent(0.5, '1001', 'RES-S1'),
    started(1, 'S1', { resourceId: 'RES-S1' }),
    tick(6),
    alive(6, 2),
    tick(91),
    startSent(91.5, '1002', 'RES-S2'),
    started(92, 'S2', { resourceId: 'RES-S2', uid: '1002' }),
  ];

  it.each([4, 5])(
    'status %i after a quit by absence: the previous session is sent its stop',
    async (status) => {
      const run = await replayTrace([...absent(), alive(93, status, 'S1', { sentAt: at(90.8) })]);
      expect(run.effects('stop')).toEqual([
        expect.objectContaining({ sid: 'S1', resourceId: 'RES-S1', uid: '1001' }),
      ]);
      expect(run.events('orphanStopped')).toEqual([expect.objectContaining({ sid: 'S1' })]);
      expect(run.r()).toMatchObject({ state: 'starting', sid: 'S2', uid: '1002' });
    },
  );

  it('an answer of a query sent before a told quit (an 11) is old news, not an orphan', async () => {
    const run = await replayTrace([...moved(), alive(31.2, 5, 'S1', { sentAt: at(29.9) })]);
    expect(run.effects('stop')).toEqual([]);
    expect(run.r()).toMatchObject({ state: 'recording', sid: 'S2' });
  });

  it('a previous sid answering 404 or 8 is not stopped', async () => {
    const run = await replayTrace([...absent(), { ...notFoundS1(93) }, alive(94, 8, 'S1')]);
    expect(run.effects('stop')).toEqual([]);
  });
});

const notFoundS1 = (s: number) => ({
  at: at(s),
  type: 'query',
  recording: 'r1',
  sid: 'S1',
  httpStatus: 404,
  body: { code: 404, reason: 'failed to find worker' },
});

/**
 * r1's start on uid 1001 (RES-1) got no answer; the settle window passed at 40 s with no sign of
 * it, so the next attempt went out on 1002 (RES-2) and became S2.
 */
const gaveUp = (): Line[] => [
  start(0),
  startSent(0.5, '1001', 'RES-1'),
  startFailed(10, null, null),
  tick(40),
  startSent(40.5, '1002', 'RES-2'),
  started(41, 'S2', { uid: '1002', resourceId: 'RES-2' }),
  tick(46),
  alive(46, 5, 'S2'),
];

describe('rule 13: a sid naming the channel and uid of a start given up is an orphan', () => {
  it.each([
    ['a 40', note(60, 40, 1, {}, { sid: 'S9' })],
    ['a 30', note(60, 30, 1, {}, { sid: 'S9' })],
  ])(
    '%s on that sid: a stop with the given-up start’s resourceId and uid, and orphanStopped',
    async (_n, life) => {
      const run = await replayTrace([...gaveUp(), life]);
      expect(run.effects('stop')).toEqual([
        expect.objectContaining({ sid: 'S9', resourceId: 'RES-1', uid: '1001', cname: 'room1' }),
      ]);
      expect(run.events('orphanStopped')).toEqual([
        expect.objectContaining({ sid: 'S9', uid: '1001' }),
      ]);
      expect(run.r()).toMatchObject({ state: 'recording', sid: 'S2', uid: '1002' });
      expect(decisionAt(run, gaveUp().length + 1)).toEqual(['stale']);
    },
  );

  it('is stopped once; its later notifications change nothing', async () => {
    const run = await replayTrace([
      ...gaveUp(),
      note(60, 40, 1, {}, { sid: 'S9' }),
      note(61, 30, 2, {}, { sid: 'S9' }),
    ]);
    expect(run.effects('stop')).toHaveLength(1);
    expect(run.r()).toMatchObject({ state: 'recording', sid: 'S2' });
  });

  it('one that only tells of its end (an 11) is not sent a stop', async () => {
    const run = await replayTrace([...gaveUp(), note(60, 11, 1, { exitStatus: 0 }, { sid: 'S9' })]);
    expect(run.effects('stop')).toEqual([]);
    expect(run.r()).toMatchObject({ state: 'recording', sid: 'S2' });
  });

  it('a start still settling is adopted, not stopped (rule 11 before 13)', async () => {
    const run = await replayTrace([
      start(0),
      startSent(0.5, '1001', 'RES-1'),
      startFailed(10, null, null),
      note(20, 40, 1, {}, { sid: 'S9' }),
    ]);
    expect(run.effects('stop')).toEqual([]);
    expect(run.r()).toMatchObject({ sid: 'S9' });
  });

  it('a given-up start whose uid the next attempt takes again is forgotten (one recorder per uid)', async () => {
    // 1001 given up at 40 s, 1002 given up at 80 s: the third attempt is on 1001 again, so a
    // sid naming 1001 is that attempt's session (adopted), not the first start's orphan.
    const run = await replayTrace([
      start(0),
      startSent(0.5, '1001', 'RES-1'),
      startFailed(10, null, null),
      tick(40),
      startSent(40.5, '1002', 'RES-2'),
      startFailed(50, null, null),
      tick(80),
      startSent(80.5, '1001', 'RES-3'),
      startFailed(90, null, null),
      note(95, 40, 1, {}, { sid: 'S9' }),
    ]);
    expect(run.effects('stop')).toEqual([]);
    expect(run.r()).toMatchObject({ sid: 'S9', uid: '1001' });
  });
});

describe('rule 13: a given-up start survives a snapshot', () => {
  it('a core restored from its serialized state stops the given-up start’s sid as the live one does', () => {
    const lines = traceText([...gaveUp(), note(60, 40, 1, {}, { sid: 'S9' })])
      .trimEnd()
      .split('\n');
    const stopsAfter = (restore: boolean): unknown[] => {
      let fold = new Replay(createCore(), { outputs: true });
      const outputs: CoreOutput[] = [];
      for (const [index, content] of lines.entries()) {
        if (restore && index === lines.length - 1) {
          const json = JSON.parse(JSON.stringify(serializeCore(fold.finish())));
          fold = new Replay(deserializeCore(json), { outputs: true });
        }
        const read = readTraceLine(content, index + 1);
        if (read === null || !('kind' in read)) throw new Error(`line ${index + 1} unread`);
        outputs.push(...fold.line(read));
      }
      return outputs.filter((o) => o.kind === 'effect' && o.type === 'stop');
    };
    const live = stopsAfter(false);
    expect(live).toEqual([
      expect.objectContaining({ sid: 'S9', resourceId: 'RES-1', uid: '1001' }),
    ]);
    expect(stopsAfter(true)).toEqual(live);
  });
});

// Rule 12 (lifecycle-rules.md), clause by clause, through `recwatch replay --json`'s path.
import { describe, expect, it } from 'vitest';
import {
  alive,
  at,
  type Line,
  replayTrace,
  start,
  started,
  startSent,
  stop,
  tick,
} from './trace.js';

const resumed = (s: number, recording?: string) => ({
  at: at(s),
  type: 'resumed',
  ...(recording !== undefined && { recording }),
});

describe('rule 12: startSent and resumed', () => {
  it('a start sent before the process died is settled, not sent again with the same uid', async () => {
    const run = await replayTrace([start(0), startSent(0.5), resumed(100), tick(110)]);
    expect(run.effects('start')).toHaveLength(1);
    expect(run.effects('acquireAndStart')).toHaveLength(1);
    expect(run.r()).toMatchObject({ state: 'starting' });
    const later = await replayTrace([start(0), startSent(0.5), resumed(100), tick(130)]);
    expect(later.effects('acquireAndStart').map((o) => (o as { uid?: string }).uid)).toEqual([
      '1001',
      '1002',
    ]);
  });

  it('only the acquire was out: acquire again', async () => {
    const run = await replayTrace([start(0), resumed(5)]);
    expect(run.effects('acquireAndStart')).toHaveLength(2);
  });

  it('a stop that was out is sent again', async () => {
    const run = await replayTrace([
      start(0),
      started(1),
      tick(6),
      alive(6, 5),
      stop(30),
      resumed(40),
    ]);
    expect(run.effects('stop')).toHaveLength(2);
    expect(run.r().state).toBe('stopping');
  });

  it('a live recording last heard of long ago is queried again', async () => {
    const run = await replayTrace([start(0), started(1), tick(6), alive(6, 5), resumed(500)]);
    expect(run.outputs.filter((o) => o.kind === 'effect' && o.type === 'query').length).toBe(2);
  });

  it('a resumed naming one recording concerns it alone', async () => {
    const r2 = (line: Record<string, unknown>) => ({
      ...line,
      recording: 'r2',
      ...(line.type === 'start' && { cname: 'room2' }),
    });
    const run = await replayTrace([start(0), r2(start(0)), resumed(5, 'r2')]);
    expect(run.effects('acquireAndStart').map((o) => o.recording)).toEqual(['r1', 'r2', 'r2']);
  });
});

describe('rule 12: the options are in the log', () => {
  const options = (recording: Record<string, unknown>, s = 0) => ({
    at: at(s),
    type: 'options',
    options: { recording },
  });

  it('decisions after an options record read its values', async () => {
    const lines: Line[] = [options({ startTimeoutMs: 30_000 }), start(0), started(1), tick(31)];
    const run = await replayTrace(lines);
    expect(run.r()).toMatchObject({ state: 'restarting', quitReason: 'notStarted' });
  });

  it('an options record of the wrong shape is a reject with its reason; the defaults stay', async () => {
    const run = await replayTrace([
      options({ startTimeoutMs: 'soon' }),
      start(0),
      started(1),
      tick(31),
    ]);
    expect(run.decisions[0]).toMatchObject({
      decision: 'rejected',
      reason: expect.stringMatching(/startTimeoutMs/),
    });
    expect(run.r()).toMatchObject({ state: 'starting' });
  });
});

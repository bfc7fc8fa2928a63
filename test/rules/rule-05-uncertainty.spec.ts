// Rule 5 (lifecycle-rules.md), clause by clause, through `recwatch replay --json`'s path.
import { describe, expect, it } from 'vitest';
import {
  alive,
  at,
  type Line,
  query,
  replayTrace,
  start,
  started,
  startFailed,
  startUids,
  tick,
} from './trace.js';

const live = (): Line[] => [start(0), started(1), tick(6), alive(6, 5)];
const wakes = (run: { effects(type: string): unknown[] }) =>
  run.effects('wakeAt').map((o) => ((o as { at: number }).at - at(0)) / 1000);

describe('rule 5: 50x, 206/65, 429 and no response never change the lifecycle', () => {
  it.each([
    ['500', 500, { code: 500, reason: 'internal error' }],
    ['502 gateway text body', 502, '<html>Bad Gateway</html>'],
    ['503', 503, { message: 'service unavailable' }],
    ['504 code 62', 504, { code: 62, reason: 'request timeout' }],
    ['206 code 65', 206, { code: 65, reason: 'request not completed' }],
    ['429', 429, { message: 'API rate limit exceeded' }],
    ['no response', null, null],
  ])('a query answered %s: still recording, uncertain', async (_n, status, body) => {
    const run = await replayTrace([...live(), tick(66), query(66, status, body)]);
    expect(run.r()).toMatchObject({
      state: 'recording',
      uncertain: true,
      uncertainSince: at(66),
      quitReason: null,
    });
  });

  it('50x back off 5, 10, 15, 30 s', async () => {
    const lines = [...live()];
    for (const s of [66, 71, 81, 96]) lines.push(tick(s), query(s, 503, {}));
    const run = await replayTrace(lines);
    const answers = [5, 7, 9, 11];
    expect(answers.map((i) => run.wakeAfter(i))).toEqual([71, 81, 96, 126]);
    expect(run.r()).toMatchObject({ state: 'recording', uncertain: true });
  });

  it('a 200 after them is sure again', async () => {
    const run = await replayTrace([
      ...live(),
      tick(66),
      query(66, 503, {}),
      tick(71),
      alive(71, 5),
    ]);
    expect(run.r()).toMatchObject({ state: 'recording', uncertain: false, uncertainSince: null });
  });

  it('429 slows the rate: its wait is longer than the poll it replaced would be after a 50x', async () => {
    const run = await replayTrace([
      ...live(),
      tick(66),
      query(66, 429, { message: 'API rate limit exceeded' }),
    ]);
    expect(run.wakeAfter(5)).toBe(76);
  });
});

describe('rule 5: acquire/start 400 code 406 (vendor_over_load) is a quota answer', () => {
  const quota = (s: number) => startFailed(s, 400, { code: 406, reason: 'vendor_over_load' });

  it('retries after 15, 30, 60, 120 s on the same uid, then quits notStarted and restarts on the other uid', async () => {
    const lines: Line[] = [
      start(0),
      quota(1),
      tick(16),
      quota(17),
      tick(47),
      quota(48),
      tick(108),
      quota(109),
    ];
    const four = await replayTrace(lines);
    expect(four.r()).toMatchObject({ state: 'starting', quitReason: null });
    expect(startUids(four)).toEqual(['1001', '1001', '1001', '1001']);
    expect(wakes(four).at(-1)).toBe(229);
    const run = await replayTrace([...lines, tick(229), quota(230)]);
    expect(run.r()).toMatchObject({ state: 'restarting', quitReason: 'notStarted', restarts: 1 });
    expect(startUids(run).at(-1)).toBe('1002');
  });

  it.each([
    ['code as text', { code: '406', reason: 'vendor_over_load' }],
    ['extra fields', { code: 406, reason: 'vendor_over_load', requestId: 'x', cname: 'room1' }],
  ])('reads it with %s', async (_n, body) => {
    const run = await replayTrace([start(0), startFailed(1, 400, body), tick(5)]);
    expect(run.r()).toMatchObject({ state: 'starting', quitReason: null });
  });

  it('the start deadline does not cut its wait short', async () => {
    const run = await replayTrace([
      start(0),
      quota(1),
      tick(16),
      quota(17),
      tick(47),
      quota(48),
      tick(100),
    ]);
    expect(run.r()).toMatchObject({ state: 'starting', quitReason: null });
  });

  it('a start answered 429 is a quota answer too, never a configuration error', async () => {
    const run = await replayTrace([
      start(0),
      startFailed(1, 429, { message: 'API rate limit exceeded' }),
      tick(2),
    ]);
    expect(run.r()).toMatchObject({ state: 'starting', quitReason: null });
  });

  it('400 code 405 (no_active_status) is a configuration error', async () => {
    const run = await replayTrace([
      start(0),
      startFailed(1, 400, { code: 405, reason: 'no_active_status' }),
    ]);
    expect(run.r()).toMatchObject({ state: 'failed', quitReason: 'configuration' });
  });
});

import { describe, expect, it } from 'vitest';
import { type CoreState, createCore, stepUntrusted } from '../../src/index.js';
import { planResume } from '../../src/runtime/supervisor-resume.js';

const T0 = 1_700_000_000_000;

function fold(inputs: object[]): CoreState {
  let state = createCore();
  for (const input of inputs) state = stepUntrusted(state, input).state;
  return state;
}

const start = (recording: string, at = T0) => ({
  at,
  type: 'start',
  recording,
  cname: `room-${recording}`,
  uid: '1001',
  mode: 'mix',
});
const started = (recording: string, at = T0 + 500) => ({
  at,
  type: 'started',
  recording,
  resourceId: `R-${recording}`,
  sid: `S-${recording}`,
  uid: '1001',
});
const alive = (recording: string, at: number) => ({
  at,
  type: 'query',
  recording,
  sid: `S-${recording}`,
  httpStatus: 200,
  body: { serverResponse: { status: 5 } },
});
const intent = (recording: string, uid = '1001') => ({
  recording,
  resourceId: `R-${recording}`,
  cname: `room-${recording}`,
  uid,
  mode: 'mix' as const,
  position: 1,
  at: T0,
});

describe('planResume', () => {
  it('re-queries live sessions whose last query is older than the poll interval, and only those', () => {
    // In time order: the core takes an earlier time as its own present (docs/trace-format.md).
    const state = fold([
      start('stale'),
      started('stale'),
      alive('stale', T0 + 1_000),
      start('fresh', T0 + 2_000),
      started('fresh', T0 + 2_500),
      alive('fresh', T0 + 50_000),
    ]);
    const plan = planResume(state, [], T0 + 62_000, 60_000);
    expect(plan.query.map((q) => q.recording)).toEqual(['stale']);
    expect(plan.query[0]).toMatchObject({ type: 'query', sid: 'S-stale', resourceId: 'R-stale' });
  });

  it('settles a start in flight that has an intent, resends one that has none, and forgets answered intents', () => {
    const state = fold([start('sent'), start('unsent'), start('answered'), started('answered')]);
    const plan = planResume(state, [intent('sent'), intent('answered')], T0 + 1_000, 60_000);
    expect(plan.settle.map((i) => i.recording)).toEqual(['sent']);
    expect(plan.resend).toEqual([
      { recording: 'unsent', cname: 'room-unsent', uid: '1001', mode: 'mix' },
    ]);
    expect(plan.forgetIntents).toEqual(['answered']);
  });

  it('does not settle an intent of another attempt (another uid): that start is resent', () => {
    const state = fold([start('r1')]);
    const plan = planResume(state, [intent('r1', '9999')], T0 + 1_000, 60_000);
    expect(plan.settle).toEqual([]);
    expect(plan.resend.map((r) => r.recording)).toEqual(['r1']);
  });

  it('sends the stop again for a recording that was stopping', () => {
    const state = fold([
      start('r1'),
      started('r1'),
      { at: T0 + 2_000, type: 'stop', recording: 'r1' },
    ]);
    const plan = planResume(state, [], T0 + 3_000, 60_000);
    expect(plan.stop).toMatchObject([{ type: 'stop', recording: 'r1', sid: 'S-r1' }]);
    expect(plan.query).toEqual([]);
  });
});

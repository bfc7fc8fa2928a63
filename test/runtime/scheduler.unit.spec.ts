import { describe, expect, it } from 'vitest';
import { SupervisorClosedError, VirtualClock } from '../../src/index.js';
import { RestScheduler, seededRandom } from '../../src/runtime/index.js';

function make(qps = 2, jitterMs = 0) {
  const clock = new VirtualClock(0);
  const scheduler = new RestScheduler({ clock, qps, jitterMs, random: seededRandom(7) });
  const sent: string[] = [];
  const times: number[] = [];
  const call = (name: string, priority: Parameters<RestScheduler['schedule']>[0]) =>
    scheduler.schedule(priority, async () => {
      sent.push(name);
      times.push(clock.now());
      return name;
    });
  return { clock, scheduler, sent, times, call };
}

describe('RestScheduler', () => {
  it('holds the budget: never more than qps calls in any second', async () => {
    const { clock, times, call } = make(3);
    for (let i = 0; i < 10; i += 1) void call(`q${i}`, 'urgentQuery');
    clock.advanceBy(10_000);
    expect(times).toEqual([0, 0, 0, 1_000, 1_000, 1_000, 2_000, 2_000, 2_000, 3_000]);
  });

  it('tells the budget in use: calls sent in the last second, and those still queued', async () => {
    const { clock, scheduler, call } = make(3);
    expect([scheduler.sentLastSecond, scheduler.queued, scheduler.qps]).toEqual([0, 0, 3]);
    for (let i = 0; i < 5; i += 1) void call(`q${i}`, 'urgentQuery');
    expect([scheduler.sentLastSecond, scheduler.queued]).toEqual([3, 2]);
    clock.advanceBy(999);
    expect([scheduler.sentLastSecond, scheduler.queued]).toEqual([3, 2]);
    clock.advanceBy(1);
    expect([scheduler.sentLastSecond, scheduler.queued]).toEqual([2, 0]);
    clock.advanceBy(1_000);
    expect(scheduler.sentLastSecond).toBe(0);
  });

  it('sends stop, then start, then acquire, then urgent and routine queries', async () => {
    const { clock, sent, call } = make(1);
    void call('first', 'routineQuery');
    void call('routine', 'routineQuery');
    void call('urgent', 'urgentQuery');
    void call('acquire', 'acquire');
    void call('start', 'start');
    void call('stop', 'stop');
    clock.advanceBy(10_000);
    expect(sent).toEqual(['first', 'stop', 'start', 'acquire', 'urgent', 'routine']);
  });

  it('pauses the whole queue after a 429, longer on each one in a row', async () => {
    const { clock, times, scheduler, call } = make(10);
    void call('a', 'urgentQuery');
    scheduler.rateLimited();
    void call('b', 'stop');
    clock.advanceBy(999);
    expect(times).toEqual([0]);
    clock.advanceBy(1);
    expect(times).toEqual([0, 1_000]);
    scheduler.rateLimited();
    void call('c', 'stop');
    clock.advanceBy(1_999);
    expect(times).toHaveLength(2);
    clock.advanceBy(1);
    expect(times).toEqual([0, 1_000, 3_000]);
  });

  it('spreads routine queries with a seeded jitter, the same on every run', async () => {
    const runs = [make(100, 2_000), make(100, 2_000)].map(({ clock, times, call }) => {
      for (let i = 0; i < 5; i += 1) void call(`q${i}`, 'routineQuery');
      clock.advanceBy(3_000);
      return times;
    });
    expect(runs[0]).toEqual(runs[1]);
    expect(new Set(runs[0]).size).toBeGreaterThan(1);
    for (const t of runs[0] ?? []) expect(t).toBeLessThan(2_000);
  });

  it('rejects what is still waiting when closed', async () => {
    const { scheduler, call } = make(1);
    void call('a', 'stop');
    const waiting = call('b', 'stop');
    scheduler.close();
    await expect(waiting).rejects.toBeInstanceOf(SupervisorClosedError);
  });
});
